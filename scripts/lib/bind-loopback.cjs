// Preloaded into the local bundler (NODE_OPTIONS=--require): alto 0.0.20 hard-codes listen({ host: "0.0.0.0" });
// this keeps every server it opens on 127.0.0.1, so the dev bundler is never reachable from the network.
const net = require("node:net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first] = args;
  if (
    first &&
    typeof first === "object" &&
    (first.host === undefined || first.host === "0.0.0.0" || first.host === "::")
  ) {
    args[0] = { ...first, host: "127.0.0.1" };
  }
  return listen.apply(this, args);
};
