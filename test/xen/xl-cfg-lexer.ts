// Test helper: a reader for xl.cfg that follows libxlu's flex rules (tools/libxl/libxlu_cfg_l.l)
// and xlu__cfgl_dequote, so tests can check that what buildXlCfg writes reads back exactly.
// It throws where xl would report "lexical error" or a syntax error.

export type CfgValue = string | string[];

const ESC: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function dequote(tok: string): string {
  let out = '';
  for (let i = 1; i < tok.length - 1; i++) {
    if (tok[i] !== '\\') {
      out += tok[i];
      continue;
    }
    const c = tok[++i];
    if (c === 'x') {
      const hex = tok.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error(`bad \\x escape in ${tok}`);
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 2;
    } else if (c in ESC) out += ESC[c];
    else throw new Error(`bad escape \\${c} in ${tok}`);
  }
  return out;
}

const TOKEN =
  /^(?:([a-z][_0-9a-z]*)|([0-9][0-9a-fx]*)|([ \t]+)|([,[\]=;])|(\n|#[^\n]*\n)|('(?:[^'\\\n]|\\[^\n])*'|"(?:[^"\\\n]|\\[^\n])*"))/;

export function readXlCfg(text: string): Record<string, CfgValue> {
  const toks: { t: string; v: string }[] = [];
  let rest = text;
  while (rest.length) {
    const m = TOKEN.exec(rest);
    if (!m) throw new Error(`lexical error at ${JSON.stringify(rest.slice(0, 20))}`);
    rest = rest.slice(m[0].length);
    if (m[1]) toks.push({ t: 'ident', v: m[1] });
    else if (m[2]) toks.push({ t: 'string', v: m[2] });
    else if (m[4]) toks.push({ t: m[4], v: m[4] });
    else if (m[5]) toks.push({ t: 'nl', v: '' });
    else if (m[6]) toks.push({ t: 'string', v: dequote(m[6]) });
  }
  const out: Record<string, CfgValue> = {};
  let i = 0;
  const expect = (t: string) => {
    if (toks[i]?.t !== t) throw new Error(`syntax error: expected ${t}, got ${toks[i]?.t}`);
    return toks[i++].v;
  };
  while (i < toks.length) {
    if (toks[i].t === 'nl') {
      i++;
      continue;
    }
    const key = expect('ident');
    expect('=');
    if (toks[i]?.t === '[') {
      i++;
      const list: string[] = [];
      while (toks[i]?.t !== ']') {
        list.push(expect('string'));
        if (toks[i]?.t === ',') i++;
      }
      i++;
      out[key] = list;
    } else out[key] = expect('string');
    if (toks[i] && toks[i].t !== 'nl' && toks[i].t !== ';') throw new Error(`syntax error after ${key}`);
    i++;
  }
  return out;
}
