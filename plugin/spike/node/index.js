// The baseline program: ../yaml/Pulumi.yaml's resources, with the components loaded in the program's own process.
const pulumi = require("@pulumi/pulumi");
const { Note, TargetIndex } = require("./component");

const config = new pulumi.Config();
const greeting = new Note("greeting", { text: "hello" });
const target = new TargetIndex("target", {
  url: config.require("url"),
  index: "spike-target",
  shards: 2,
  deletionProtection: false,
});
exports.stored = greeting.stored;
exports.indexName = target.indexName;
