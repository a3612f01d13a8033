#!/usr/bin/env node
// Re-wraps lines over 160 characters (scripts/lint.js's width) in the given files, and keeps a file's new text only
// when esbuild prints the same program for both: minified output compared, so a wrap can never change behaviour.
//   node scripts/rewrap.js [--strings] FILE ...
// Breaks outside strings, templates, regexes and `${…}`: after a comma, or before && || ?? + ? :, the continuation two
// spaces deeper than the line; `//` and `*` comments are re-flowed at 120, a trailing comment goes above its line.
// --strings also splits a string or template literal at a space into `'…' + '…'` where nothing else fits.
// It is a helper for a first pass: read the diff, and re-wrap by hand what reads badly. Lines it cannot wrap
// (a long regex, a long word) are listed.
'use strict';
const esbuild = require('esbuild');
const fs = require('fs');

const MAX = 160;
const COMMENT_WIDTH = 120;
const splitStrings = process.argv.includes('--strings');

/** Where `line` may be broken: `pos` is where the second part starts. Null when the line cannot be read alone. */
function breakPoints(line) {
  const out = [];
  const stack = []; // open brackets, and 'tpl' for each `${` of a template being read
  let depth = 0;
  let prev = '';
  const n = line.length;
  const inTemplateCode = () => stack.includes('tpl');
  for (let i = 0; i < n;) {
    const c = line[i];
    if (c === '/' && line[i + 1] === '/') { out.push({ pos: i, kind: 'comment', depth }); break; }
    if (c === '/' && line[i + 1] === '*') { const e = line.indexOf('*/', i + 2); if (e < 0) return null; i = e + 2; continue; }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && line[j] !== c) {
        if (line[j] === '\\') { j += 2; continue; }
        if (line[j] === ' ' && line[j - 1] !== ' ' && line[j + 1] !== ' ' && line[j + 1] !== c && !inTemplateCode()) {
          out.push({ pos: j + 1, kind: 'string', quote: c, depth });
        }
        j++;
      }
      if (j >= n) return null;
      i = j + 1; prev = 'x'; continue;
    }
    if (c === '`' || (c === '}' && stack[stack.length - 1] === 'tpl')) {
      if (c === '}') stack.pop();
      const tagged = c === '`' && /[\w$)\]]$/.test(line.slice(0, i));
      let j = i + 1;
      for (;;) {
        if (j >= n) return null;
        if (line[j] === '\\') { j += 2; continue; }
        if (line[j] === ' ' && !tagged && line[j - 1] !== ' ' && line[j + 1] !== ' ' && line[j + 1] !== '`'
          && !(line[j + 1] === '$' && line[j + 2] === '{') && !inTemplateCode()) {
          out.push({ pos: j + 1, kind: 'string', quote: '`', depth });
        }
        if (line[j] === '`') { j++; break; }
        if (line[j] === '$' && line[j + 1] === '{') { stack.push('tpl'); j += 2; break; }
        j++;
      }
      i = j; prev = line[j - 1] === '{' ? '(' : 'x'; continue;
    }
    if (c === '/' && (/[(,=:[!&|?{};+\-*%<>~^]/.test(prev) || prev === '' || /\b(return|typeof)\s*$/.test(line.slice(0, i)))) {
      let j = i + 1;
      let inClass = false;
      while (j < n) {
        if (line[j] === '\\') { j += 2; continue; }
        if (line[j] === '[') inClass = true;
        else if (line[j] === ']') inClass = false;
        else if (line[j] === '/' && !inClass) break;
        j++;
      }
      if (j >= n) return null;
      j++;
      while (j < n && /[a-z]/.test(line[j])) j++;
      i = j; prev = 'x'; continue;
    }
    if (c === '(' || c === '[' || c === '{') { depth++; stack.push(c); }
    else if (c === ')' || c === ']' || c === '}') { depth--; stack.pop(); }
    if (!inTemplateCode()) {
      if (c === ',' && line[i + 1] === ' ') out.push({ pos: i + 2, kind: 'comma', depth });
      if (c === ' ' && /^(&&|\|\||\?\?|\+|\?|:) /.test(line.slice(i + 1))) out.push({ pos: i + 1, kind: 'operator', depth });
    }
    if (c !== ' ') prev = c;
    i++;
  }
  return out;
}

function reflow(indent, prefix, text) {
  const lines = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && (indent + prefix + current + ' ' + word).length > COMMENT_WIDTH) { lines.push(indent + prefix + current); current = word; }
    else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(indent + prefix + current);
  return lines;
}

/** The line as lines of at most MAX characters, or null when no break keeps it the same program. */
function wrapLine(line, continuation) {
  if (line.length <= MAX) return [line];
  const indent = /^\s*/.exec(line)[0];
  const text = line.trim();
  if (text.startsWith('// ')) return reflow(indent, '// ', text.slice(3));
  if (text.startsWith('* ')) return reflow(indent, '* ', text.slice(2));
  if (text.startsWith('/** ') && text.endsWith(' */')) return [`${indent}/**`, ...reflow(indent, ' * ', text.slice(4, -3)), `${indent} */`];
  const points = breakPoints(line);
  if (!points) return null;
  const comment = points.find((p) => p.kind === 'comment');
  if (comment) {
    const rest = wrapLine(line.slice(0, comment.pos).trimEnd(), continuation);
    return rest && [...reflow(indent, '// ', line.slice(comment.pos + 2).trim()), ...rest];
  }
  const next = continuation ?? `${indent}  `;
  const fits = points.filter((p) => p.kind !== 'string' && p.pos - 1 <= MAX && p.pos > indent.length + 10);
  if (!fits.length) {
    if (!splitStrings) return null;
    const split = points.filter((p) => p.kind === 'string' && p.pos + 3 <= MAX && p.pos > indent.length + 10).pop();
    if (!split) return null;
    const more = wrapLine(`${next}${split.quote}${line.slice(split.pos)}`, next);
    return more && [`${line.slice(0, split.pos)}${split.quote} +`, ...more];
  }
  // the shallowest nesting first, then as late as possible
  const least = Math.min(...fits.map((p) => p.depth));
  const pick = fits.filter((p) => p.depth === least).pop();
  const first = line.slice(0, pick.pos).trimEnd();
  const more = wrapLine(next + line.slice(pick.pos).trimStart(), next);
  return more && [first, ...more];
}

/** The program esbuild reads from a file's text, without layout or comments. */
function program(text, file) {
  const options = { loader: file.endsWith('.ts') ? 'ts' : 'js', legalComments: 'none', minifyWhitespace: true, minifySyntax: true };
  return esbuild.transformSync(text, options).code;
}

function main() {
  for (const file of process.argv.slice(2).filter((a) => a !== '--strings')) {
    const text = fs.readFileSync(file, 'utf8');
    const out = [];
    const unwrapped = [];
    text.split('\n').forEach((line, i) => {
      const lines = line.length > MAX ? wrapLine(line) : [line];
      if (!lines) unwrapped.push(i + 1);
      out.push(...(lines ?? [line]));
    });
    const next = out.join('\n');
    const left = unwrapped.length ? `; could not wrap lines ${unwrapped.join(', ')}` : '';
    if (next === text) {
      if (left) console.log(`${file}: unchanged${left}`);
      continue;
    }
    let same = false;
    try { same = program(text, file) === program(next, file); } catch (e) { console.log(`${file}: ${e.message.split('\n')[0]}`); }
    if (!same) { console.log(`${file}: left unchanged: the wrapped text would not be the same program`); continue; }
    fs.writeFileSync(file, next);
    console.log(`${file}: wrapped${left}`);
  }
}

main();
