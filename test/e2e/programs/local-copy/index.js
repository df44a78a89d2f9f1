// A migration inside one cluster, the smallest real use of the package: the destination index created from the
// source index's settings and mappings, then the copy. Needs no cloud SDK.
const pulumi = require("@pulumi/pulumi");
const { DestinationIndex, Reindex } = require("pulumi-es-migrate");

const cfg = new pulumi.Config();
const cluster = { url: cfg.require("url") };
const dest = new DestinationIndex("events-copy", {
  cluster,
  index: "events-copy",
  copyFrom: { cluster, index: "events" },
  deletionProtection: false,
});
const copy = new Reindex("copy", {
  cluster,
  destIndex: dest.index,
  destIndexUuid: dest.uuid,
  source: { index: "events" },
});

exports.created = copy.created;
exports.destCount = copy.destCount;
