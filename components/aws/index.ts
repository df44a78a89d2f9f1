// Network access for remote reindex (aws).
export {};
