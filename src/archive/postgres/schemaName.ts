// The PostgreSQL schema that holds an archive's tables: its migrations and its queries name it.
export const SCHEMA = "shearwater";
