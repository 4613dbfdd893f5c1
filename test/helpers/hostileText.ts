// Text from outside that would act on a terminal printed raw: escape sequences (clear, retitle), a C1 CSI, bidi
// controls that reorder what a line appears to say, line separators and DEL.
export const HOSTILE = "evil \u001b[2J\u001b]0;owned\u0007 \u009b31m \u202egnp.exe \u2066x\u2069 \u200f\u061c\u2028\u2029\u007f end";

/** Any character a terminal could act on, C0 controls but the newline included. */
export const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
