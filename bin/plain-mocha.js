// Loaded by the root .mocharc.json, i.e. only by a plain `mocha` at the repository root. The
// suites need a rig, a bench lock, a run folder and a boot, which only `iommu-lab run` sets up,
// and the project's own tests have their own config; so refuse before mocha loads any file.
process.stderr.write(
  'iommu-lab: suites run through `node bin/iommu-lab.js run` (--rig, --suite; see --help), ' +
    "the project's own tests through `npm test`; plain mocha at the repository root runs nothing\n",
);
process.exit(2);
