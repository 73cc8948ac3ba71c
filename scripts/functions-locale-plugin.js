/**
 * Webpack plugin: the Vietnamese custom-functions metadata.
 *
 * custom-functions-metadata-plugin emits `functions.json` from the JSDoc (English). This plugin
 * takes that generated JSON, applies the Vietnamese texts of `src/functions/functions.vi.json`
 * (descriptions of functions, parameters and results; ids, names and types untouched) and emits
 * `functions.vi.json`, which the manifest serves to Excel in vi-VN via
 * `<bt:Override Locale="vi-VN">`. A function or parameter without a Vietnamese text, or a text
 * for one that no longer exists, fails the build. Both files get `allowErrorForDataTypeAny`.
 */
const fs = require('fs');

const PLUGIN = 'FunctionsLocalePlugin';

/**
 * `allowErrorForDataTypeAny: true` (a top-level flag of the metadata) when a function takes an
 * `any` parameter: without it Excel never calls the function when such an input holds an error,
 * so the pass-through and error precedence of functions.md could not happen. The metadata plugin
 * has no JSDoc tag for it, hence here.
 */
function allowErrors(metadata) {
  const takesAny = metadata.functions.some((f) => (f.parameters || []).some((p) => p.type === 'any'));
  return takesAny ? { allowErrorForDataTypeAny: true, ...metadata } : metadata;
}

/** Apply `texts` ({ functions: { ID: { description, result, parameters: { name: text } } } }) to metadata. */
function localize(metadata, texts) {
  const problems = [];
  const table = (texts && texts.functions) || {};
  const seen = new Set();
  const functions = metadata.functions.map((f) => {
    const t = table[f.id];
    seen.add(f.id);
    if (!t) {
      problems.push(`no Vietnamese text for function ${f.id}`);
      return f;
    }
    if (!t.description) problems.push(`no Vietnamese description for function ${f.id}`);
    const params = t.parameters || {};
    for (const name of Object.keys(params)) {
      if (!(f.parameters || []).some((p) => p.name === name)) problems.push(`Vietnamese text for unknown parameter ${f.id}.${name}`);
    }
    const out = { ...f, description: t.description || f.description };
    out.parameters = (f.parameters || []).map((p) => {
      if (!params[p.name]) problems.push(`no Vietnamese text for parameter ${f.id}.${p.name}`);
      return { ...p, description: params[p.name] || p.description };
    });
    if (f.result) out.result = t.result ? { ...f.result, description: t.result } : f.result;
    return out;
  });
  for (const id of Object.keys(table)) if (!seen.has(id)) problems.push(`Vietnamese text for unknown function ${id}`);
  return { metadata: { ...metadata, functions }, problems };
}

class FunctionsLocalePlugin {
  /** @param {{ source?: string, output: string, texts: string }} options  texts: absolute path */
  constructor(options) {
    this.options = { source: 'functions.json', ...options };
  }

  apply(compiler) {
    const { sources, WebpackError, Compilation } = compiler.webpack;
    compiler.hooks.thisCompilation.tap(PLUGIN, (compilation) => {
      compilation.fileDependencies.add(this.options.texts);
      compilation.hooks.processAssets.tap({ name: PLUGIN, stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        const asset = compilation.getAsset(this.options.source);
        if (!asset) {
          // The metadata plugin reported its own errors; do not hide them behind a second one.
          if (!compilation.errors.length) compilation.errors.push(new WebpackError(`${PLUGIN}: ${this.options.source} was not generated`));
          return;
        }
        let texts;
        try {
          texts = JSON.parse(fs.readFileSync(this.options.texts, 'utf8'));
        } catch (e) {
          compilation.errors.push(new WebpackError(`${PLUGIN}: cannot read ${this.options.texts}: ${e.message}`));
          return;
        }
        const generated = allowErrors(JSON.parse(asset.source.source().toString()));
        compilation.updateAsset(this.options.source, new sources.RawSource(JSON.stringify(generated, null, 2) + '\n'));
        const { metadata, problems } = localize(generated, texts);
        for (const p of problems) compilation.errors.push(new WebpackError(`${PLUGIN}: ${p} (${this.options.texts})`));
        compilation.emitAsset(this.options.output, new sources.RawSource(JSON.stringify(metadata, null, 2) + '\n'));
      });
    });
  }
}

module.exports = FunctionsLocalePlugin;
module.exports.localize = localize;
module.exports.allowErrors = allowErrors;
