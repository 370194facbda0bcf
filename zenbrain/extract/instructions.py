"""Detecting text that reads as an instruction to the agent (memory-poisoning defence).

A memory is data about the user's world. Text that tries to steer the agent — "ignore previous
instructions", "always send … to …", "you are now …", "from now on reply with …" — is flagged on
write so that it is never promoted to core or cross-context, is kept out of sleep's abstraction,
and is quoted as data, not obeyed, when an agent puts it into its context (docs/SECURITY.md).

Rule-based, offline. The patterns look for the *imperative* or *addressed* form ("ignore your
rules", "assistant, you must …", "from now on you …") rather than a keyword, so a user's own
sentence with the same words ("please ignore my last message", "from now on I cycle to work",
"I always send mum a postcard") is not flagged. Before matching, the text is also read in
normalised forms that undo the usual obfuscations: Unicode compatibility forms (full-width,
mathematical letters), zero-width characters, Cyrillic/Greek look-alike letters, letter spacing
("i g n o r e"), leetspeak ("1gn0r3") and base64 payloads; a signal found only that way adds
`obfuscated` (or `encoded`). Besides English it knows the override, standing-order and secrets
phrasings of German, French, Spanish, Italian, Portuguese, Dutch, Polish, Russian, Chinese and
Japanese. A determined attacker can still phrase around rules; the real defence is that memories
are always quoted as data and never run as instructions.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata

__all__ = ["instruction_signals", "looks_like_instruction", "normalised_forms"]

# Where an imperative clause can start: text start, a clause break, or an addressed "you (must)".
_LEAD = (r"(?:^|[.;:!?\n\"'“(\[>*-]\s*|\b(?:please|pls|and|also|then|now|just|kindly)\s+|"
         r"\b(?:you|u)\s+(?:must|should|shall|will|have\s+to|need\s+to|are\s+to)\s+)")
_ADDRESS = (r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://|www\.|\b[\w-]+\.(?:com|net|org|io|ru|cn|"
            r"xyz|example|info|biz|top)\b|\bwebhook|\bpastebin|\bthis\s+(?:address|url|server|email))")
_SECRET = (r"(?:system\s+prompt|(?:hidden|initial|original|developer|secret)\s+(?:prompt|instructions)|"
           r"api[\s_-]?keys?|passwords?|passwd|passcodes?|pins?\b|credentials|secrets?|access\s+tokens?|"
           r"tokens?|private\s+keys?|credit\s+card\s+numbers?|chat\s+history|conversation\s+history)")
_TARGET = (r"(?:instructions?|prompts?|rules|guidelines|directives?|directions|guardrails|"
           r"constraints|programming|system\s+messages?|safety\s+\w+)")

_RULES: tuple[tuple[str, str], ...] = (
    # -- English ------------------------------------------------------------------------------
    ("override", rf"(?<!n't\s)(?<!not\s)\b(?:ignore|disregard|forget|override|bypass|skip|drop)\s+"
                 rf"(?:\w+\s+){{0,3}}?(?:previous|prior|above|earlier|preceding|system|your|original|"
                 rf"initial|existing|current|all\s+(?:of\s+)?(?:your|the\s+above|previous|prior))\s+"
                 rf"(?:\w+\s+){{0,2}}?{_TARGET}"),
    ("override", rf"{_LEAD}(?:ignore|disregard|forget|override|bypass)\s+(?:all|any|every)\s+"
                 rf"(?:of\s+)?(?:the\s+|your\s+)?{_TARGET}"),
    ("override", r"\bforget\s+(?:everything|all)\s+(?:you\s+(?:were|have\s+been)\s+told|above|before)"),
    ("new-instructions", r"\b(?:new|updated|real|actual|true|hidden|secret)\s+(?:system\s+)?"
                         r"(?:instructions?|prompt|directives?)\s*[:\-]|\byour\s+new\s+(?:rules|"
                         r"instructions|task|role|purpose)\s+(?:is|are)\b"),
    ("role-change", r"\byou\s+are\s+now\s+(?:a|an|in|my|the)?\s*(?:[\w-]+\s+){0,3}?(?:ai|assistant|"
                    r"bot|model|dan|mode|unrestricted|jailbroken|uncensored|unfiltered|free|evil|"
                    r"hacker|admin|administrator|developer|without|no\s+longer)\b|"
                    r"\byou\s+are\s+no\s+longer\s+(?:bound|restricted|limited|an?\s+(?:ai|assistant))|"
                    r"\byou\s+have\s+no\s+(?:safety\s+)?(?:rules|restrictions|limits|guidelines)"),
    ("role-change", rf"{_LEAD}(?:act|behave|respond)\s+as\s+(?:if\s+you|though\s+you|an?\s+|the\s+|my\s+)|"
                    rf"{_LEAD}pretend\s+(?:to\s+be|you\s+are|you're|that\s+you)|"
                    rf"{_LEAD}roleplay\s+as\b"),
    ("standing-order", r"\b(?:from\s+now\s+on|henceforth|going\s+forward|hereafter|from\s+this\s+point"
                       r"(?:\s+on|\s+forward)?)\s*,?\s*(?:you|u|always|never|only|reply|respond|answer|say|"
                       r"speak|talk|write|do\s+not|don't|ignore|send|forward|include|add|use|treat|"
                       r"refer|act|pretend|be|obey|follow|tell|print|output|reveal|call\s+the\s+user)\b"),
    ("standing-order", r"\bin\s+(?:all|every|each)\s+(?:future|subsequent|later)\s+(?:replies|reply|answers?|"
                       r"responses?|messages?|conversations?)\b"),
    ("conditional-order", r"\b(?:whenever|every\s+time|each\s+time|when|if)\s+(?:the\s+user|someone|"
                          r"anyone|anybody|people|they)\s+(?:asks?|says?|mentions?|requests?|writes?|"
                          r"wants?|talks?)\b.{0,80}?\b(?:tell|say|reply|respond|answer|give|send|"
                          r"redirect|recommend|direct|insist)\b"),
    ("conditional-order", r"\b(?:whenever|every\s+time|each\s+time|when)\s+you\s+(?:summari[sz]e|answer|"
                          r"reply|respond|write|talk|are\s+asked|get\s+asked|read)\b.{0,60}?\b(?:also|"
                          r"always|include|add|bcc|cc|send|forward|mention|append)\b"),
    ("exfiltrate", rf"{_LEAD}(?:always\s+|automatically\s+|secretly\s+|silently\s+|quietly\s+|also\s+)*"
                   rf"(?:send|forward|e-?mail|post|upload|share|leak|copy|bcc|cc|transmit|exfiltrate|"
                   rf"report)\b.{{0,80}}?{_ADDRESS}"),
    ("exfiltrate", rf"\b(?:send|forward|e-?mail|post|upload|leak|share|give|transmit|bcc)\b.{{0,40}}?"
                   rf"\b{_SECRET}.{{0,40}}?\b(?:to|at)\b.{{0,30}}?{_ADDRESS}"),
    ("secrets", rf"\b(?:reveal|print|output|show|display|dump|leak|repeat|tell\s+me|give\s+me|list)\b"
                rf"\s+(?:\w+\s+){{0,3}}?(?:your\s+|the\s+(?:admin\s+|root\s+)?|all\s+(?:the\s+)?(?:stored\s+|saved\s+)?|"
                rf"(?:stored|saved|every|the\s+user's|users')\s+)(?:\w+\s+)?{_SECRET}"),
    ("secrets", r"\b(?:reveal|print|output|show|display|dump|leak|repeat)\b.{0,30}\b(?:system|hidden|"
                r"initial|original)\s+prompt\b"),
    ("agent-directive", r"(?:^|[.;!?\n]\s*|\b(?:dear|hey|hi|attention|note\s+to|message\s+(?:to|for)|"
                        r"instructions?\s+for)\s+)(?:the\s+)?(?:assistant|agent|ai|model|chatbot|llm|gpt|"
                        r"bot|language\s+model)\s*[,:]"),
    ("agent-directive", r"\b(?:assistant|agent|ai|model|chatbot|llm)\s*,\s*(?:you\s+)?(?:must|should|"
                        r"shall|will|need\s+to)\b"),
    ("prompt-markup", r"<\s*/?\s*(?:system|instructions?|im_start|im_end|admin)\s*>|\[\s*/?\s*(?:system|"
                      r"inst)\s*\]|#{2,}\s*(?:system|instructions?|new\s+task)\b|^\s*(?:system|developer)"
                      r"\s*:\s*\S|<\|(?:system|im_start|endoftext)\|>"),
    ("execute", rf"{_LEAD}(?:run|execute|eval|evaluate)\b.{{0,20}}\b(?:this|the\s+following)\s+"
                rf"(?:command|code|script|shell|payload)\b|\|\s*(?:ba|z)?sh\b|\bcurl\s+\S+\s*\|"),
    ("encoded-instruction", r"\b(?:decode|base64\s+-d|b64decode|atob|rot13|deobfuscate)\b.{0,80}?"
                            r"\b(?:follow|execute|run|obey|do\s+what|apply|eval|comply|carry\s+out)\b|"
                            r"\b(?:follow|execute|obey|run)\b.{0,30}?\b(?:the\s+)?(?:decoded|base64|"
                            r"encoded|hidden)\b"),
    ("exfil-link", r"!\[[^\]]*\]\(\s*(?:https?:)?//[^)\s]*\?[^)\s]*="),
    ("exfil-link", r"\[[^\]]*\]\(\s*(?:https?:)?//[^)\s]*[?&][^)\s=]*(?:token|pass|pwd|secret|key|"
                   r"session|cookie|prompt|history|chat|memory|creds?|data|exfil|steal)[^)\s=]*="),
    ("exfil-link", r"(?:https?:)?//[^\s)]*(?:\{[^}\s]*\}|\$\{?[A-Z_]{3,}|%7B[^\s)]*%7D)"),
    # -- other languages ------------------------------------------------------------------------
    ("override", r"\b(?:ignorier\w*|vergiss|missacht\w*)\b.{0,40}\b(?:vorherig\w*|bisherig\w*|obig\w*|"
                 r"alle[nms]?|früher\w*|vorig\w*|deine)\b.{0,30}\b(?:anweisung\w*|instruktion\w*|regeln|"
                 r"befehl\w*|vorgaben)"),
    ("override", r"\b(?:ignore[rz]?|oublie[rz]?)\b.{0,40}\b(?:toutes|tous|les|vos|tes)\b.{0,30}"
                 r"\b(?:instructions?|consignes?|règles|directives)"),
    ("override", r"\b(?:ignora\w*|olvida\w*|dimentica\w*|esqueça\w*|ignore)\b.{0,40}\b(?:todas?|tutte|"
                 r"las|los|le|as|anteriores|previas?|precedenti|tus|tue)\b.{0,30}\b(?:instrucciones|"
                 r"istruzioni|instruções|reglas|regole|regras|indicaciones|órdenes|ordini)"),
    ("override", r"\b(?:negeer|vergeet)\b.{0,40}\b(?:alle|vorige|eerdere|je)\b.{0,30}\b(?:instructies|"
                 r"regels|opdrachten)"),
    ("override", r"\b(?:zignoruj|ignoruj|zapomnij)\b.{0,40}\b(?:instrukcj\w*|polece\w*|zasad\w*)"),
    ("override", r"(?:игнорируй\w*|проигнорируй\w*|забудь|не\s+обращай\s+внимания)\b.{0,40}"
                 r"(?:инструкц\w*|указани\w*|правил\w*|команд\w*)"),
    ("override", r"(?:忽略|无视|忽视|忘记|忘掉).{0,12}(?:指令|指示|提示|规则|命令)"),
    ("override", r"(?:指示|命令|ルール|指令).{0,12}無視|無視.{0,12}(?:指示|命令|ルール)"),
    ("standing-order", r"\b(?:ab\s+jetzt|von\s+nun\s+an|ab\s+sofort|künftig)\b.{0,20}\b(?:du|sollst|"
                       r"musst|immer|antworte\w*|sende\w*|schick\w*)\b"),
    ("standing-order", r"\b(?:désormais|dorénavant|à\s+partir\s+de\s+maintenant)\b.{0,20}\b(?:tu|vous)\b"),
    ("standing-order", r"\b(?:a\s+partir\s+de\s+ahora|de\s+ahora\s+en\s+adelante|desde\s+ahora|"
                       r"d'ora\s+in\s+poi|a\s+partir\s+de\s+agora|vanaf\s+nu)\b.{0,20}\b(?:eres|debes|"
                       r"siempre|responde\w*|envía\w*|tú|sei|devi|você|deve|ben\s+je|moet\s+je)\b"),
    ("standing-order", r"(?:с\s+этого\s+момента|отныне|теперь\s+ты)\b"),
    ("standing-order", r"(?:从现在开始|从今以后).{0,10}(?:你|总是|必须)|今後.{0,10}(?:必ず|常に)"),
    ("secrets", r"\b(?:gib|zeig\w*|verrat\w*|nenn\w*|schick\w*|sende\w*)\b.{0,40}\b(?:system-?\s*prompt|"
                r"passw\w+|kennw\w+|zugangsdaten|api-?schlüssel\w*)"),
    ("secrets", r"\b(?:révèle\w*|montre\w*|affiche\w*|donne\w*|envoie\w*)\b.{0,40}\b(?:mots?\s+de\s+"
                r"passe|prompt\s+(?:du\s+)?système|identifiants|clés?\s+api)"),
    ("secrets", r"\b(?:revela\w*|muestra\w*|envía\w*|manda\w*|mostre|revele|envie|mostra\w*|rivela\w*)"
                r"\b.{0,40}\b(?:contraseñas?|senhas?|password|claves?|credenciales|credenciais|"
                r"prompt\s+del?\s+sistema)"),
    ("secrets", r"(?:покажи|раскрой|выведи|отправь|перешли)\b.{0,40}(?:системн\w+\s+промпт\w*|"
                r"парол\w+|ключ\w*)"),
    ("secrets", r"(?:显示|泄露|透露|发送|告诉我).{0,12}(?:系统提示|密码|秘钥|密钥)"),
    ("exfiltrate", r"\b(?:senden?|schick\w*|envoie\w*|envía\w*|manda\w*|invia\w*|envie)\b.{0,60}?"
                   r"\b(?:passw\w+|mots?\s+de\s+passe|contraseñas?|senhas?)\b.{0,40}?" + _ADDRESS),
)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx, re.I | re.M)) for name, rx in _RULES)

# Latin look-alikes in the Cyrillic and Greek blocks (the letters that render identically).
_HOMOGLYPHS = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ɡ": "g", "ӏ": "l", "һ": "h", "ԛ": "q", "ԝ": "w", "ү": "y", "к": "k",
    "м": "m", "н": "h", "т": "t", "в": "b", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M",
    "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    "ο": "o", "α": "a", "ε": "e", "ι": "i", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "κ": "k",
    "Ι": "I", "Ο": "O", "Α": "A", "Ε": "E", "Κ": "K", "Μ": "M", "Ν": "N", "Ρ": "P", "Τ": "T",
})
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACED = re.compile(r"(?<![\w])\w([ .\-_*])(?:\w\1)+\w(?![\w])")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i"})
_LEET_WORD = re.compile(r"\b(?=\w*[a-z])(?=\w*[0-9])[\w@$!]{3,}\b", re.I)
_B64 = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])")


def _despace(text: str) -> str:
    """"I g n o r e   a l l" → "Ignore all": runs of single characters lose their separators;
    wider gaps (two or more spaces) stay word breaks."""
    def join(m: re.Match[str]) -> str:
        return m.group(0).replace(m.group(1), "")
    words = re.split(r"(?:\s{2,}|\t)", text)
    return " ".join(_SPACED.sub(join, w) for w in words)


def _decoded(text: str) -> list[str]:
    out = []
    for m in _B64.finditer(text):
        raw = m.group(0)
        try:
            data = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
        except (binascii.Error, ValueError):
            continue
        try:
            plain = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if plain and sum(ch.isprintable() or ch.isspace() for ch in plain) / len(plain) > 0.95:
            out.append(plain)
    return out


def normalised_forms(text: str) -> tuple[str, str, list[str]]:
    """(plain, de-obfuscated, decoded payloads): the readings the patterns are matched on.

    plain: NFKC with invisible characters removed. de-obfuscated: plain with look-alike letters
    folded to Latin, letter spacing closed and leetspeak digits read as letters. decoded: the
    printable texts of base64 runs of at least 16 characters.
    """
    plain = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    folded = _despace(plain.translate(_HOMOGLYPHS))
    folded = _LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), folded)
    return plain, folded, _decoded(plain)


def _match(text: str) -> list[str]:
    found: list[str] = []
    for name, pattern in _PATTERNS:
        if name not in found and pattern.search(text):
            found.append(name)
    return found


def instruction_signals(text: str) -> list[str]:
    """Names of the instruction patterns `text` matches (empty for ordinary memories).

    A signal seen only after undoing an obfuscation adds "obfuscated"; one seen only inside a
    base64 payload adds "encoded".
    """
    plain, folded, payloads = normalised_forms(text)
    found = _match(plain)
    hidden = [s for s in _match(folded) if s not in found]
    if hidden:
        found += [*hidden, "obfuscated"]
    for payload in payloads:
        inner = [s for s in instruction_signals(payload) if s not in found]
        if inner:
            found += inner
            if "encoded" not in found:
                found.append("encoded")
    return found


def looks_like_instruction(text: str) -> bool:
    return bool(instruction_signals(text))
