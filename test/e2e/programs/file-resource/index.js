// A minimal program with one dynamic resource: a file whose content comes from config. The provider's side
// effects (the file appears, changes, disappears) let the test check what the engine really did.
const pulumi = require("@pulumi/pulumi");

const fileProvider = {
  async create(inputs) {
    require("node:fs").writeFileSync(inputs.path, inputs.content);
    return { id: inputs.path, outs: inputs };
  },
  async diff(_id, olds, news) {
    const replaces = olds.path !== news.path ? ["path"] : [];
    return { changes: olds.content !== news.content || replaces.length > 0, replaces };
  },
  async update(_id, _olds, news) {
    require("node:fs").writeFileSync(news.path, news.content);
    return { outs: news };
  },
  async delete(_id, props) {
    require("node:fs").rmSync(props.path, { force: true });
  },
};

class TestFile extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(fileProvider, name, { ...args }, opts);
  }
}

const config = new pulumi.Config();
const file = new TestFile("greeting", {
  path: config.require("path"),
  content: config.require("content"),
  // Only here to prove that a secret input stays encrypted in the state.
  token: config.requireSecret("token"),
});

exports.path = file.path;
exports.content = file.content;
exports.token = file.token;
