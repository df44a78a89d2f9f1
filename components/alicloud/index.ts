// Network access for remote reindex (alicloud).
export {};
