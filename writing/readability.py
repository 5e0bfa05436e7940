#!/usr/bin/env python3
"""Readability of the participant text of the toolkit, per language.

Participant text is what a caregiver reads: each module page (`index.md`) and each
handout (`handouts/*.md`). Facilitator guides and facilitator-only blocks (`say`,
`facilitator`, `adapt`) are left out, since caregivers never see them.

For each file the script strips the front matter, the block markers (`:::` lines),
partner values (`{{...}}`), HTML comments and tags, and Markdown syntax (headings,
emphasis, links, pictures, list marks, table pipes), then prints:

- English: the Flesch-Kincaid grade level
      0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
- Spanish: the Fernandez-Huerta reading ease (higher is easier; 80-90 is easy)
      206.84 - 0.60 * P - 1.02 * F
  where P is syllables per 100 words and F is the average sentence length in words.
  (Fernández-Huerta's paper calls F "sentences per 100 words", which would make
  shorter sentences score harder; like Flesch, whose formula his adapts, and like
  common tools such as textstat, we read F as words per sentence.)

Syllables are counted with a vowel-group heuristic: English drops a silent final "e"
and counts "-le" endings; Spanish treats a weak vowel (i, u, y, unaccented) next to
another vowel as one syllable (a diphthong or triphthong), while two strong vowels
(a, e, o) or an accented weak vowel (i with accent, u with accent) split into two.

Usage:  python3 writing/readability.py [content-folder]   (default: content/)
Standard library only.
"""

import os
import re
import statistics
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CONTENT = os.path.join(HERE, "..", "content")

# Blocks whose words only facilitators see.
HIDDEN_BLOCKS = {"say", "facilitator", "adapt"}


def participant_files(content, lang):
    """Module pages and handouts of one language, sorted by path."""
    root = os.path.join(content, lang, "modules")
    found = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if not name.endswith(".md"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), os.path.join(content, lang))
            parts = rel.split(os.sep)
            if name == "index.md" or "handouts" in parts:
                found.append(os.path.join(dirpath, name))
    return sorted(found)


def strip_front_matter(text):
    if text.startswith("---"):
        end = re.search(r"^---\s*$", text[3:], re.M)
        if end:
            return text[3 + end.end():]
    return text


def strip_blocks(text):
    """Drop `:::` marker lines, and the whole of facilitator-only blocks."""
    out = []
    stack = []  # one entry per open block: True when its text is hidden
    for raw in text.splitlines():
        line = re.sub(r"^\s*(>\s*)*", "", raw)  # blocks may sit in quotes or lists
        m = re.match(r"^:{3,}\s*([\w-]*)", line)  # `::::` around `:::` too
        if m:
            name = m.group(1)
            if name:
                stack.append(name in HIDDEN_BLOCKS or (stack and stack[-1]))
            elif stack:
                stack.pop()
            continue
        if stack and stack[-1]:
            continue
        out.append(raw)
    return "\n".join(out)


def strip_markdown(text):
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"\{\{[^}]*\}\}", " ", text)            # partner values
    text = re.sub(r"```.*?```", " ", text, flags=re.S)     # code blocks
    text = re.sub(r"`[^`]*`", " ", text)                   # inline code
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", " ", text)   # pictures (alt text is not read)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links keep their words
    text = re.sub(r"<[^>]+>", " ", text)                   # HTML tags
    lines = []
    for line in text.splitlines():
        s = line.strip()
        if re.match(r"^\|?\s*:?-{3,}", s):                 # table rule
            continue
        if s.startswith("|"):
            # each table cell is read as its own short phrase
            cells = [c.strip() for c in s.strip("|").split("|")]
            lines.extend(c for c in cells if c)
            continue
        s = re.sub(r"^(>\s*)+", "", s)                      # quotes
        s = re.sub(r"^#{1,6}\s+", "", s)                    # headings
        s = re.sub(r"^([-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?", "", s)  # list marks, checkboxes
        lines.append(s)
    text = "\n".join(lines)
    text = re.sub(r"(\*\*|__|\*|_)", "", text)            # emphasis
    return text


def sentences_and_words(text):
    """Sentences end at . ! ? : or at the end of a line (headings, list items, cells)."""
    sentences = 0
    words = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for piece in re.split(r"(?<=[.!?:;])\s+", line):
            w = re.findall(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", piece)
            if w:
                sentences += 1
                words.extend(w)
    return sentences, words


# ---- syllables -------------------------------------------------------------

def syllables_en(word):
    w = word.lower().replace("\u2019", "'")
    w = re.sub(r"'s$", "", w)
    w = re.sub(r"[^a-z]", "", w)
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", lambda m: m.group(0)[0], w)
    w = re.sub(r"^y", "", w)
    groups = re.findall(r"[aeiouy]+", w)
    return max(1, len(groups))


ES_STRONG = set("aeoáéó")
ES_WEAK = set("iuüy")
ES_ACCENTED_WEAK = set("íú")
ES_VOWELS = ES_STRONG | ES_WEAK | ES_ACCENTED_WEAK


def syllables_es(word):
    w = unicodedata.normalize("NFC", word.lower())
    # "qu" and "gu" before e/i: the u is silent; "y" at the end of a word is a vowel,
    # elsewhere (before a vowel) a consonant.
    w = re.sub(r"(q|g)u(?=[eiéí])", r"\1", w)
    chars = list(w)
    count = 0
    prev = None  # the previous vowel in the current group
    for i, c in enumerate(chars):
        is_y_vowel = c == "y" and (i == len(chars) - 1 or chars[i + 1] not in ES_VOWELS)
        if c == "y" and not is_y_vowel:
            prev = None
            continue
        if c not in ES_VOWELS:
            prev = None
            continue
        if prev is None:
            count += 1
        else:
            # two vowels side by side: one syllable only if one of them is an
            # unaccented weak vowel (diphthong); strong+strong or an accented weak
            # vowel make a hiatus (a new syllable).
            if (prev in ES_WEAK or c in ES_WEAK) and not (
                prev in ES_ACCENTED_WEAK or c in ES_ACCENTED_WEAK
            ):
                pass
            else:
                count += 1
        prev = c
    return max(1, count)


# ---- scores ----------------------------------------------------------------

def score(lang, text):
    sents, words = sentences_and_words(text)
    if not words or not sents:
        return None, 0
    if lang == "en":
        syl = sum(syllables_en(w) for w in words)
        value = 0.39 * len(words) / sents + 11.8 * syl / len(words) - 15.59
    else:
        syl = sum(syllables_es(w) for w in words)
        p = 100.0 * syl / len(words)
        f = len(words) / sents
        value = 206.84 - 0.60 * p - 1.02 * f
    return value, len(words)


def main():
    content = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CONTENT)
    for lang, label in (("en", "Flesch-Kincaid grade (lower is easier)"),
                        ("es", "Fernández-Huerta reading ease (higher is easier)")):
        files = participant_files(content, lang)
        if not files:
            continue
        print(f"== {lang}: {label}")
        values = []
        all_text = []
        for path in files:
            with open(path, encoding="utf-8") as f:
                text = strip_markdown(strip_blocks(strip_front_matter(f.read())))
            value, nwords = score(lang, text)
            if value is None:
                continue
            all_text.append(text)
            values.append(value)
            rel = os.path.relpath(path, os.path.join(content, lang, "modules"))
            print(f"  {value:6.1f}  {nwords:5d} words  {rel}")
        if values:
            whole, _ = score(lang, "\n".join(all_text))
            print(f"  files: {len(values)}   range: {min(values):.1f} to {max(values):.1f}"
                  f"   median: {statistics.median(values):.1f}   all text together: {whole:.1f}")
        print()


if __name__ == "__main__":
    main()
