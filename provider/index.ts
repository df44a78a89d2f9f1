// Dynamic resources and the connection layer they share.
export {};
