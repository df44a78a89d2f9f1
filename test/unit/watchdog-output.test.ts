// A provider's lines while the CLI does not read them: they wait in the process's memory only up to a bound.
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_UNREAD_BYTES, providerLog } from "../../provider/shared/log";

afterEach(() => vi.restoreAllMocks());

describe("the provider log while the CLI does not read", () => {
  it("drops lines while a mebibyte of output waits unread, and writes them again once the CLI reads", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const unread = vi.spyOn(process.stdout, "writableLength", "get").mockReturnValue(MAX_UNREAD_BYTES);
    vi.spyOn(process.stderr, "writableLength", "get").mockReturnValue(MAX_UNREAD_BYTES);
    providerLog().info("reindex a -> b: 10 of 100 document(s)");
    providerLog().warn("the destination is slow");
    expect(log).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();

    unread.mockReturnValue(0);
    providerLog().info("reindex a -> b: 20 of 100 document(s)");
    expect(log).toHaveBeenCalledWith("reindex a -> b: 20 of 100 document(s)");
  });
});
