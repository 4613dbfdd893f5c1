// Imported first by a test file that reads styles from frames: chalk decides once, as it loads, whether to emit
// them, and a test worker's stdout is no terminal.
process.env.FORCE_COLOR = "1";
