using System.Text.RegularExpressions;

namespace JusticeTracker.Cases.PersonalData;

/// <summary>
/// Places small enough to find a child: street addresses, houses and plots, villages,
/// barangays and their puroks and sitios, Thai sois and moos, Swahili mitaa and vijiji; and schools
/// and classes. Countries, counties and towns are not (a case note may say where the court sits).
/// Read word by word rather than with patterns: one pass over the note's words, whatever it holds.
/// </summary>
internal static partial class Places
{
    private const int Timeout = PersonalDataCheck.PatternTimeoutMilliseconds;

    public static Hit? Address(NoteText note)
    {
        var tokens = note.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var key = tokens[i].Key;
            if (note.Digits > 0 && NumberedWays.Contains(key) && NumberAfter(note, i))
            {
                return new(PersonalDataKind.Address, true);
            }

            if (NamedWays.Contains(key) && NameAfter(note, i, out var name) && !OnlyKnownWords(name))
            {
                return new(PersonalDataKind.Address, true);
            }

            if (i > 0 && WayKinds.Contains(key) && NameBefore(note, i, out var street) && !OnlyKnownWords(street))
            {
                return new(PersonalDataKind.Address, true);
            }
        }

        return note.Digits > 0 && PostBox().IsMatch(note.Text) ? new(PersonalDataKind.Address, true) : null;
    }

    public static Hit? School(NoteText note)
    {
        if (note.Digits > 0 && note.Text.Contains("I.E", StringComparison.Ordinal) && NumberedSchool().IsMatch(note.Text))
        {
            return new(PersonalDataKind.School, true);
        }

        var tokens = note.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (note.Digits > 0 && ClassWords.Contains(token.Key)
                && (ClassAndSection().IsMatch(note.Text, token.End) || (AfterNumber(tokens, i) && SectionAfter().IsMatch(note.Text, token.End))))
            {
                return new(PersonalDataKind.School, true);
            }

            if (IsSchoolWord(note, i, out var last))
            {
                if ((note.Digits > 0 && NumberAfter(note, last)) || (NameAfter(note, last, out var name) && !OnlyLawWords(name)))
                {
                    return new(PersonalDataKind.School, true);
                }
            }
            else if (token.Capitalised && SchoolKinds.Contains(token.Key) && NameBefore(note, i, out var school)
                && !OnlyLawWords(school) && !SchoolOfTheLaw().IsMatch(note.Text[token.End..]))
            {
                // A school named after its town is still one school ("Kenya High School"); one named
                // after the law or the police trains professionals ("Kenya School of Law", "Police Academy").
                return new(PersonalDataKind.School, true);
            }
        }

        return null;
    }

    /// <summary>"7 grade", "3er grado": a class word after its number.</summary>
    private static bool AfterNumber(IReadOnlyList<Token> tokens, int i) =>
        (i > 0 && tokens[i - 1].IsNumber) || (i > 1 && tokens[i - 2].IsNumber && tokens[i - 1].Key is "er" or "o" or "st" or "nd" or "rd" or "th" or "eme" or "e");

    /// <summary>"escuela", "collège", "shule ya msingi", "institución educativa": the word (or words) ending at <paramref name="last"/>.</summary>
    private static bool IsSchoolWord(NoteText note, int i, out int last)
    {
        var tokens = note.Tokens;
        var key = tokens[i].Key.StartsWith("l'", StringComparison.Ordinal) ? tokens[i].Key[2..] : tokens[i].Key;
        last = i;
        if (SchoolWords.Contains(key))
        {
            // English "College" begins institutions' names ("College of Nursing"); French "collège" begins a school's.
            return key != "college" || tokens[i].Text == "collège" || !tokens[i].Capitalised;
        }

        if (i + 1 < tokens.Count && SchoolPairs.Contains(key + " " + tokens[i + 1].Key))
        {
            last = i + 1;
            if (key == "shule" && i + 2 < tokens.Count && tokens[i + 2].Key is "msingi" or "sekondari")
            {
                last = i + 2;
            }

            return true;
        }

        return false;
    }

    /// <summary>A number right after the word, perhaps with "No.", "n°", "#" or "namba" between: "Plot 45", "House No. 14".</summary>
    private static bool NumberAfter(NoteText note, int i)
    {
        var tokens = note.Tokens;
        for (var j = i + 1; j < tokens.Count && j <= i + 3; j++)
        {
            if (!note.Between(tokens[j - 1], tokens[j]).All(c => c is ' ' or '.' or ':' or '#' or '°' or '-' or ','))
            {
                return false;
            }

            if (tokens[j].IsNumber)
            {
                return true;
            }

            if (tokens[j].Key is not ("no" or "n" or "nr" or "num" or "number" or "namba" or "nambari" or "numero"))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Capitalised words right after the word, past "of", "de", "wa", "cha": "rue des Manguiers", "Mtaa wa Majengo".</summary>
    private static bool NameAfter(NoteText note, int i, out List<Token> name)
    {
        var tokens = note.Tokens;
        name = [];
        for (var j = i + 1; j < tokens.Count && name.Count < 4; j++)
        {
            var between = note.Between(tokens[j - 1], tokens[j]);
            if (between is not (" " or ". " or "'" or " '"))
            {
                break;
            }

            if (tokens[j].Capitalised && !tokens[j].IsNumber)
            {
                name.Add(tokens[j]);
            }
            else if (name.Count > 0 || !NameConnectors.Contains(tokens[j].Key))
            {
                break;
            }
        }

        return name.Count > 0;
    }

    /// <summary>Capitalised words right before the word: "Moi Avenue", "Tom Mboya Street", "St. Mary's Primary".</summary>
    private static bool NameBefore(NoteText note, int i, out List<Token> name)
    {
        var tokens = note.Tokens;
        name = [];
        for (var j = i - 1; j >= 0 && name.Count < 5; j--)
        {
            var between = note.Between(tokens[j], tokens[j + 1]);
            var abbreviation = between == ". " && tokens[j].Key is "st" or "ste" or "sta" or "sto" or "mt" or "ft" or "dr";
            if (!tokens[j].Capitalised || (between != " " && !abbreviation))
            {
                break;
            }

            if (!SchoolQualifiers.Contains(tokens[j].Key) || name.Count > 0)
            {
                name.Insert(0, tokens[j]);
            }

            if (tokens[j].SentenceStart && !abbreviation)
            {
                break;
            }
        }

        return name.Count > 0;
    }

    /// <summary>
    /// A name made only of the law's words and of places ("Mombasa Road", "Barangay Hall of Justice")
    /// names a town or an institution, not where a child lives.
    /// </summary>
    private static bool OnlyKnownWords(List<Token> name)
    {
        var words = name.Select(t => t.Key).Where(w => !NameConnectors.Contains(w)).ToList();
        return words.Count > 0 && words.All(w => WordLists.Lexicon.Contains(w) || WordLists.Places.Contains(w));
    }

    private static bool OnlyLawWords(List<Token> name)
    {
        var words = name.Select(t => t.Key).Where(w => !NameConnectors.Contains(w)).ToList();
        return words.Count > 0 && words.All(WordLists.Lexicon.Contains);
    }

    private static readonly HashSet<string> NameConnectors = new(StringComparer.Ordinal)
    {
        "of", "the", "de", "del", "la", "las", "los", "les", "des", "du", "da", "das", "do", "dos", "wa", "cha", "ya", "y", "e", "et", "and",
        "estadual", "municipal", "nacional", "publique", "privee", "privada", "primaire", "secondaire", "primaria", "secundaria", "msingi", "sekondari",
    };

    /// <summary>Words for a way, a house or a plot that take a number.</summary>
    private static readonly HashSet<string> NumberedWays = new(StringComparer.Ordinal)
    {
        "rue", "avenue", "av", "ave", "avda", "avenida", "boulevard", "bd", "blvd", "chemin", "impasse", "allee", "route", "calle", "carrera", "cra",
        "jiron", "pasaje", "psje", "rua", "travessa", "estrada", "alameda", "barangay", "brgy", "bgy", "purok", "sitio", "soi", "moo", "thanon", "mtaa",
        "kijiji", "aldea", "caserio", "canton", "barrio", "colonia", "bairro", "vila", "quartier", "cite", "lotissement", "urbanizacion", "zone", "zona",
        "ward", "tole", "chowk", "sector", "manzana", "mz", "lote", "block", "blk", "lot", "plot", "house", "hse", "flat", "apartment", "apt", "apto",
        "apartamento", "dpto", "departamento", "piso", "nyumba", "casa", "villa", "street", "road",
    };

    /// <summary>Words for a way or a neighbourhood that take a name.</summary>
    private static readonly HashSet<string> NamedWays = new(StringComparer.Ordinal)
    {
        "rue", "avenue", "av", "avda", "avenida", "boulevard", "bd", "blvd", "chemin", "impasse", "allee", "route", "calle", "carrera", "jiron", "pasaje",
        "rua", "travessa", "estrada", "alameda", "barangay", "brgy", "bgy", "purok", "sitio", "soi", "thanon", "mtaa", "kijiji", "aldea", "caserio",
        "canton", "barrio", "colonia", "bairro", "favela", "comunidade", "quartier", "hameau", "cite", "lotissement", "urbanizacion", "poblado",
        "vereda", "village", "villages", "kampung", "tambon", "asentamiento",
    };

    /// <summary>Kinds of way or of housing that follow their name.</summary>
    private static readonly HashSet<string> WayKinds = new(StringComparer.Ordinal)
    {
        "road", "rd", "street", "avenue", "ave", "lane", "drive", "close", "crescent", "highway", "boulevard", "estate", "village", "compound",
        "subdivision", "subd", "heights", "gardens", "apartments", "flats", "towers", "homes", "sitio", "purok", "barangay",
    };

    private static readonly HashSet<string> SchoolWords = new(StringComparer.Ordinal)
    {
        "escuela", "colegio", "ecole", "lycee", "college", "escola", "liceo", "daara",
    };

    private static readonly HashSet<string> SchoolPairs = new(StringComparer.Ordinal)
    {
        "institucion educativa", "unidad educativa", "complexe scolaire", "groupe scolaire", "shule ya", "centro educativo", "centre scolaire",
    };

    /// <summary>The words that end a school's name.</summary>
    private static readonly HashSet<string> SchoolKinds = new(StringComparer.Ordinal)
    {
        "school", "academy", "primary", "secondary", "elementary", "montessori", "madrasa", "madrassa",
    };

    /// <summary>Words inside a school's name that say its kind, not which one it is.</summary>
    private static readonly HashSet<string> SchoolQualifiers = new(StringComparer.Ordinal)
    {
        "primary", "secondary", "elementary", "integrated", "central", "memorial", "junior", "senior", "national", "high", "girls", "boys", "mixed",
        "day", "comprehensive", "community", "public", "private",
    };

    [GeneratedRegex(@"(?i:\bp\.? ?o\.? ?box|\bbo[iî]te postale|\bb\.?p\.? \d|\bcaixa postal|\bapartado(?: postal)?|\bcasilla(?: postal)?)\b\.? ?\d", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PostBox();

    private static readonly HashSet<string> ClassWords = new(StringComparer.Ordinal)
    {
        "grade", "class", "form", "standard", "std", "year", "grado", "curso", "classe", "serie", "ano", "mathayom", "prathom", "darasa",
    };

    // After the class word: "Grade 5B", "class 7 A", "grado 3 sección B".
    [GeneratedRegex(@"\G\.? ?\d{1,2}(?i:st|nd|rd|th|er|º|°|o)? ?(?:[A-Z]|(?i:secci[oó]n|section|se[cç][cç][aã]o|stream|turma) [A-Z])\b(?![.'])", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex ClassAndSection();

    // After "3er grado": ", sección B".
    [GeneratedRegex(@"\G,? ?(?i:secci[oó]n|section|se[cç][cç][aã]o|stream|turma) [A-Z]\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex SectionAfter();

    // Peru's "I.E. N° 2045", "I.E.P. 1234".
    [GeneratedRegex(@"\bI\.E\.(?:P\.)? ?(?:N[°º]?\.? ?|No\.? ?)?\d", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex NumberedSchool();

    [GeneratedRegex(@"^ (?:of|de|du|des|da|do) (?:the )?(?:Law|Laws|Government|Medicine|Nursing|Police|Magistrates?|Judges|Droit|Derecho|Direito|Polic[ií]a|Magistrature|Magistratura)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex SchoolOfTheLaw();
}
