// Syntax highlighting by the program's language (the API's `language`): C# and the brace languages with C#'s
// rules, Python and the other '#'-comment languages with Python's (a small tokenizer: no third-party code to
// vendor), and unified diffs.
import { h } from '../dom.js';

const CSHARP_KEYWORDS = new Set(('abstract as base bool break byte case catch char checked class const continue decimal default delegate do double else enum event explicit extern false finally fixed float for foreach goto if implicit in int interface internal is lock long namespace new null object operator out override params private protected public readonly ref return sbyte sealed short sizeof stackalloc static string struct switch this throw true try typeof uint ulong unchecked unsafe ushort using virtual void volatile while var record init get set value yield async await when where nameof not and or with required file scoped global dynamic').split(' '));
const PYTHON_KEYWORDS = new Set(('False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self match case').split(' '));

const HASH_COMMENT_LANGUAGES = new Set(['python', 'julia', 'r', 'ruby', 'shell']);

const TOKEN = /(\/\/[^\n]*|\/\*[\s\S]*?\*\/|#[^\n]*|@"(?:[^"]|"")*"|\$?"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|"""[\s\S]*?"""|\b\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?[fFdDmMlLuU]*\b|\b[A-Za-z_][A-Za-z0-9_]*\b)/g;

/** Returns a <pre class="code"> with one span per line and tokens coloured; text only, never HTML from the program. */
export function highlighted(source, language) {
  const python = HASH_COMMENT_LANGUAGES.has((language ?? '').toLowerCase());
  const keywords = python ? PYTHON_KEYWORDS : CSHARP_KEYWORDS;
  const code = h('code');
  let line = h('span', { class: 'line' });
  const push = (text, cls) => {
    const parts = text.split('\n');
    parts.forEach((part, k) => {
      if (k > 0) { code.append(line); line = h('span', { class: 'line' }); }
      if (part) line.append(cls ? h('span', { class: cls }, part) : document.createTextNode(part));
    });
  };
  let last = 0;
  for (const m of source.matchAll(TOKEN)) {
    const t = m[0];
    // '#' starts a comment only in Python; in C# it is a preprocessor line, shown the same way.
    if (t.startsWith('#') && !python && !/^#\s*(region|endregion|if|endif|else|define|nullable|pragma)/.test(t)) continue;
    if (t.startsWith('//') && python) continue;
    push(source.slice(last, m.index));
    let cls = null;
    if (t.startsWith('//') || t.startsWith('/*') || t.startsWith('#')) cls = /EVOLVE-BLOCK/.test(t) ? 'tok-comment tok-marker' : 'tok-comment';
    else if (/^[@$]?["']/.test(t)) cls = 'tok-string';
    else if (/^\d/.test(t)) cls = 'tok-number';
    else if (keywords.has(t)) cls = 'tok-keyword';
    else if (/^[A-Z]/.test(t) && !python) cls = 'tok-type';
    push(t, cls);
    last = m.index + t.length;
  }
  push(source.slice(last));
  code.append(line);
  return h('pre', { class: 'code', tabindex: '0', 'aria-label': 'Source code', dataset: { language: (language ?? 'csharp').toLowerCase() } }, code);
}

/** A unified diff with added, removed and hunk lines marked by colour and by their +/- prefix. */
export function diffView(diff) {
  const lines = String(diff).split('\n');
  return h('pre', { class: 'diff', tabindex: '0', 'aria-label': 'Diff against the parent' },
    lines.map((l) => {
      let cls = '';
      if (l.startsWith('@@')) cls = 'hunk';
      else if (l.startsWith('+') && !l.startsWith('+++')) cls = 'add';
      else if (l.startsWith('-') && !l.startsWith('---')) cls = 'del';
      return h('span', { class: cls }, l || ' ');
    }));
}
