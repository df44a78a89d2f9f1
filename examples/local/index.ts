// The local migration program: filled in by the migration components (issue 8).
export {};
