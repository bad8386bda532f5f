using System.Text.RegularExpressions;

namespace JusticeTracker.Cases.PersonalData;

/// <summary>
/// People's names and initials. A capitalised word is a name for certain when a cue comes before
/// it ("called", "her uncle", "Mr.", "the accused") or when the gazetteer knows it as a name and
/// no dictionary as a word; it is possibly a name when it is a word no list knows, or a name that
/// is also a word ("Grace"). Words of the law, institutions' names and places never are.
/// </summary>
internal static partial class Names
{
    private const int Timeout = PersonalDataCheck.PatternTimeoutMilliseconds;

    public static Hit? Initials(NoteText note)
    {
        foreach (Match m in InitialLetters().Matches(note.Text))
        {
            if (!Abbreviations.Contains(m.Value.Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal)))
            {
                return new(PersonalDataKind.Name, true);
            }
        }

        return InitialsCue().IsMatch(note.Text) ? new(PersonalDataKind.Name, true) : null;
    }

    /// <summary>Letters with dots that are abbreviations, not a person's initials.</summary>
    private static readonly HashSet<string> Abbreviations = new(StringComparer.Ordinal)
    {
        "US", "UK", "UN", "EU", "BE", "AD", "BC", "DC", "NB", "RA", "IE", "IEP", "SO", "OB", "PO", "PS", "SA", "NV", "LLC", "PD", "EO", "ID", "TV", "AM", "PM", "PNP", "NBI", "DOJ", "CR", "RG", "RP", "IS", "GBV", "SGBV",
    };

    public static Hit? Find(NoteText note)
    {
        var tokens = note.Tokens;
        var covered = new bool[tokens.Count];
        CoverPlaces(note, covered);
        CoverInstitutions(note, covered);

        var words = new Word?[tokens.Count];
        Word WordAt(int i) => words[i] ??= Classify(tokens[i]);

        Hit? possible = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.Capitalised || covered[i] || token.Length < 2)
            {
                continue;
            }

            var word = WordAt(i);
            if (word == Word.Known)
            {
                continue;
            }

            if (Cued(note, i) is { } cue && (cue != Cue.Role || word is Word.Name or Word.Unknown))
            {
                return new(PersonalDataKind.Name, true);
            }

            if (token.AllCaps && !(word == Word.Name && token.Length >= 4))
            {
                // An acronym: DSWD, INABIF, PPCAAM.
                continue;
            }

            // A full name: next to a name that is no ordinary word ("Grace Wambui"); two names that
            // are also words ("Mercy Corps") are no surer than one.
            var nextIsName = i + 1 < tokens.Count && tokens[i + 1].Capitalised && !covered[i + 1] && Joined(note, i, i + 1) && WordAt(i + 1) is Word.Name;
            var previousIsName = i > 0 && tokens[i - 1].Capitalised && !covered[i - 1] && !token.SentenceStart && Joined(note, i - 1, i) && WordAt(i - 1) is Word.Name;
            var namedAsRole = FollowedByRole(note, i);
            switch (word)
            {
                case Word.Name when token.Length >= 3:
                case Word.Name or Word.NameOrWord when nextIsName || previousIsName || namedAsRole:
                case Word.Unknown when namedAsRole:
                    return new(PersonalDataKind.Name, true);
                case Word.Name or Word.NameOrWord or Word.Unknown when !token.SentenceStart:
                    possible ??= new(PersonalDataKind.Name, false);
                    break;
            }
        }

        return possible;
    }

    private enum Word
    {
        Known,
        Name,
        NameOrWord,
        Unknown,
    }

    private enum Cue
    {
        Naming,
        Role,
    }

    /// <summary>What the lists say of a capitalised word: a word of the law or a place, a name, both a name and a word, or nothing.</summary>
    private static Word Classify(Token token)
    {
        var key = Bare(token.Key);
        if (key.Length < 2 || key.Any(char.IsDigit) || IsKnown(key) || IsKnown(token.Key))
        {
            return Word.Known;
        }

        if (key.Contains('-', StringComparison.Ordinal))
        {
            var parts = key.Split('-', StringSplitOptions.RemoveEmptyEntries);
            if (WordLists.Names.Contains(key) || parts.Any(p => WordLists.Names.Contains(p) && !WordLists.Common.Contains(p) && !IsKnown(p)))
            {
                return Word.Name;
            }

            return parts.All(p => IsKnown(p) || WordLists.Common.Contains(p)) ? Word.Known : Word.Unknown;
        }

        var name = WordLists.Names.Contains(key);
        var common = WordLists.Common.Contains(key);
        return (name, common) switch
        {
            (true, false) => Word.Name,
            (true, true) => Word.NameOrWord,
            (false, true) => Word.Known,
            _ => key.Length >= 3 && !IsRomanNumeral(token.Text) ? Word.Unknown : Word.Known,
        };
    }

    private static bool IsKnown(string key) => WordLists.Lexicon.Contains(key) || WordLists.Places.Contains(key);

    /// <summary>The word without a possessive ("Achieng's") or a French elision ("L'Action").</summary>
    private static string Bare(string key)
    {
        if (key.EndsWith("'s", StringComparison.Ordinal))
        {
            key = key[..^2];
        }
        else if (key.EndsWith('\''))
        {
            key = key[..^1];
        }

        if (key.Length > 2 && key[1] == '\'' && key[0] is 'l' or 'd' or 's' or 'n' or 'j' or 'm' or 't' or 'c')
        {
            key = key[2..];
        }
        else if (key.StartsWith("qu'", StringComparison.Ordinal))
        {
            key = key[3..];
        }

        return key;
    }

    private static bool IsRomanNumeral(string text) => text.All(c => c is 'I' or 'V' or 'X' or 'L' or 'C' or 'D' or 'M');

    /// <summary>Two tokens written next to each other, with only a space (or a hyphen) between.</summary>
    private static bool Joined(NoteText note, int first, int second)
    {
        var between = note.Between(note.Tokens[first], note.Tokens[second]);
        return between is " " or "-" or "";
    }

    /// <summary>
    /// A cue just before the word: "called", "known as", "se llama", a relative ("her uncle",
    /// "sa mère", "su tío"), a title ("Mr.", "doña", "Aling"), or a role ("the accused", "la
    /// victime"), with commas, colons, brackets and quotes allowed between.
    /// </summary>
    private static Cue? Cued(NoteText note, int index)
    {
        var tokens = note.Tokens;
        var j = index - 1;
        var gap = index;
        for (var fillers = 0; j >= 0 && fillers <= 2; fillers++)
        {
            if (!note.Between(tokens[j], tokens[gap]).All(c => c is ' ' or ',' or ':' or '(' or '"' or '\'' or '«' or '»' or '.' or '-'))
            {
                return null;
            }

            var key = tokens[j].Key;
            if (NamingCues.Contains(key) || Relatives.Contains(key) || Titles.Contains(key))
            {
                return Cue.Naming;
            }

            if (j > 0 && NamingPairs.Contains(tokens[j - 1].Key + " " + key))
            {
                return Cue.Naming;
            }

            if (Roles.Contains(key))
            {
                return Cue.Role;
            }

            if (!Fillers.Contains(key))
            {
                return null;
            }

            gap = j;
            j--;
        }

        return null;
    }

    /// <summary>"Ploy, the survivor, asked...": a name followed by its role.</summary>
    private static bool FollowedByRole(NoteText note, int index)
    {
        var tokens = note.Tokens;
        if (index + 2 >= tokens.Count || !note.Between(tokens[index], tokens[index + 1]).StartsWith(',') && !note.Between(tokens[index], tokens[index + 1]).StartsWith(" (", StringComparison.Ordinal))
        {
            return false;
        }

        return tokens[index + 1].Key is "the" or "la" or "le" or "el" or "a" or "o" or "our" or "her" or "his" && Roles.Contains(tokens[index + 2].Key)
            || Roles.Contains(tokens[index + 1].Key);
    }

    /// <summary>Countries, regions and towns, up to four words ("San Juan de Lurigancho"), are places.</summary>
    private static void CoverPlaces(NoteText note, bool[] covered)
    {
        var tokens = note.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].Capitalised)
            {
                continue;
            }

            var phrase = tokens[i].Key;
            var longest = WordLists.Places.Contains(Bare(phrase)) ? 1 : 0;
            for (var n = 1; n < 4 && WordLists.PlaceStarts.Contains(tokens[i].Key) && i + n < tokens.Count && note.Between(tokens[i + n - 1], tokens[i + n]) is " " or "-"; n++)
            {
                phrase += " " + tokens[i + n].Key;
                if (WordLists.Places.Contains(phrase))
                {
                    longest = n + 1;
                }
            }

            for (var k = 0; k < longest; k++)
            {
                covered[i + k] = true;
            }
        }
    }

    /// <summary>
    /// A run of capitalised words (joined by "of", "de", "and"...) that holds a word such as Court,
    /// Juzgado, Ministry, Act or Centre is an institution's or a statute's name, so none of its
    /// words is a person's ("Milimani Law Courts", "Jomo Kenyatta International Airport").
    /// </summary>
    private static void CoverInstitutions(NoteText note, bool[] covered)
    {
        var tokens = note.Tokens;
        var i = 0;
        while (i < tokens.Count)
        {
            if (!tokens[i].Capitalised)
            {
                i++;
                continue;
            }

            var start = i;
            var head = false;
            var end = i;
            for (var j = i; j < tokens.Count; j++)
            {
                var between = j > i ? note.Between(tokens[j - 1], tokens[j]) : " ";
                if (between is not (" " or "-" or "'" or " '") && j > i)
                {
                    break;
                }

                if (tokens[j].Capitalised)
                {
                    head |= InstitutionHeads.Contains(Bare(tokens[j].Key));
                    end = j;
                }
                else if (!Connectors.Contains(tokens[j].Key))
                {
                    break;
                }
            }

            // "Kilimani police station", "Kilifi county": a name followed by the kind of place it names.
            head |= end + 1 < tokens.Count && !tokens[end + 1].Capitalised && note.Between(tokens[end], tokens[end + 1]) == " " && PlaceKinds.Contains(tokens[end + 1].Key);
            if (head)
            {
                for (var k = start; k <= end; k++)
                {
                    covered[k] = true;
                }
            }

            i = end + 1;
        }
    }

    private static readonly HashSet<string> Connectors = new(StringComparer.Ordinal)
    {
        "of", "and", "for", "the", "de", "del", "la", "las", "los", "da", "das", "do", "dos", "des", "du", "d", "et", "y", "e",
    };

    private static readonly HashSet<string> InstitutionHeads = new(StringComparer.Ordinal)
    {
        "court", "courts", "cour", "corte", "tribunal", "tribunale", "juzgado", "fiscalia", "ministry", "ministerio", "ministere", "department", "departamento",
        "unit", "unidad", "unite", "commission", "comision", "council", "conselho", "consejo", "conseil", "agency", "agencia", "office", "oficina", "bureau",
        "service", "services", "servicio", "servicios", "servico", "police", "policia", "station", "hospital", "hopital", "clinic", "airport", "aeropuerto", "aeroport",
        "centre", "center", "centro", "foundation", "fundacion", "fundacao", "fondation", "association", "asociacion", "associacao", "act", "ley", "lei", "loi",
        "code", "codigo", "authority", "board", "programme", "program", "programa", "network", "red", "rede", "desk", "brigade", "brigada", "gendarmerie",
        "delegacia", "comisaria", "vara", "sala", "camara", "chamber", "prison", "university", "universidad", "church", "mission", "embassy", "consulate",
        "parliament", "assembly", "senate", "registry", "directorate", "division", "institute", "instituto", "institut", "project", "proyecto", "projeto",
        "defensoria", "procuraduria", "procuradoria", "hotline", "helpline", "fund", "fondo", "fonds", "fundo", "government", "gobierno", "governo",
        "gouvernement", "secretariat", "secretaria", "shelter", "alliance", "alianza", "coalition", "forum", "committee", "comite", "group", "task", "force",
        "convention", "protocol", "constitution", "charter", "guidelines", "bank", "company", "ltd", "inc", "ngo", "ong", "union", "federation", "society",
    };

    private static readonly HashSet<string> PlaceKinds = new(StringComparer.Ordinal)
    {
        "police", "court", "courts", "hospital", "county", "sub-county", "district", "province", "region", "municipality", "city", "town", "prison",
        "airport", "port", "border", "juzgado", "tribunal", "provincia", "departamento", "distrito", "municipio", "comuna", "commune", "departement",
    };

    private static readonly HashSet<string> NamingCues = new(StringComparer.Ordinal)
    {
        "called", "named", "nicknamed", "alias", "aka", "dit", "dite", "surnomme", "surnommee", "llamado", "llamada", "apodado", "apodada", "chamado",
        "chamada", "apelidado", "apelidada", "s'appelle", "s'appelait", "si", "ni", "initials", "iniciales", "initiales", "iniciais",
    };

    private static readonly HashSet<string> NamingPairs = new(StringComparer.Ordinal)
    {
        "known as", "se llama", "se llamaba", "name is", "name was", "names are", "nombre es", "nom est", "nome e", "conocido como", "conocida como",
        "conhecido como", "conhecida como", "goes by", "jina lake", "pangalan ay", "a.k.a", "k.a",
    };

    private static readonly HashSet<string> Relatives = new(StringComparer.Ordinal)
    {
        "mother", "father", "mum", "mom", "mummy", "dad", "daddy", "aunt", "auntie", "aunty", "uncle", "brother", "sister", "cousin", "grandmother",
        "grandfather", "grandma", "grandpa", "granny", "stepfather", "stepmother", "stepbrother", "stepsister", "stepdad", "stepmum", "guardian",
        "husband", "wife", "boyfriend", "girlfriend", "neighbour", "neighbor", "friend", "classmate", "teacher", "pastor", "imam", "employer",
        "mere", "pere", "tante", "oncle", "frere", "soeur", "cousine", "grand-mere", "grand-pere", "beau-pere", "belle-mere", "tuteur", "tutrice",
        "voisin", "voisine", "mari", "epouse", "copain", "copine", "marabout",
        "madre", "padre", "tia", "tio", "hermano", "hermana", "primo", "prima", "abuela", "abuelo", "padrastro", "madrastra", "mama", "papa",
        "vecino", "vecina", "novio", "novia", "esposo", "esposa", "profesor", "profesora",
        "mae", "pai", "irmao", "irma", "avo", "padrasto", "madrasta", "vizinho", "vizinha", "namorado", "namorada", "marido",
        "baba", "shangazi", "mjomba", "bibi", "babu", "dada", "kaka", "mjukuu",
        "nanay", "tatay", "tita", "tito", "lola", "lolo", "kuya", "ate", "tiyahin", "tiyuhin", "pinsan", "kapatid",
    };

    private static readonly HashSet<string> Titles = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "dr", "mme", "mlle", "monsieur", "madame", "sr", "sra", "srta", "senor", "senora", "don", "dona", "dom", "seu",
        "senhor", "senhora", "hon", "judge", "magistrate", "inspector", "sergeant", "sgt", "cpl", "corporal", "constable", "officer", "detective",
        "aling", "mang", "khun", "sheikh", "mzee", "bwana",
    };

    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal)
    {
        "child", "girl", "boy", "minor", "victim", "survivor", "accused", "suspect", "offender", "perpetrator", "witness", "complainant", "defendant",
        "trafficker", "recruiter", "client", "customer", "pimp", "groomer", "broker", "agent",
        "victime", "prevenu", "prevenue", "accuse", "accusee", "suspecte", "temoin", "enfant", "fille", "garcon", "mineure", "mineur",
        "victima", "nina", "nino", "menor", "agresor", "agresora", "imputado", "imputada", "acusado", "acusada", "testigo", "sospechoso", "sospechosa", "adolescente",
        "vitima", "menina", "menino", "reu", "re", "suspeito", "suspeita", "testemunha", "aliciador",
    };

    /// <summary>Words that may stand between a cue and the name: possessives and titles ("Mama yake Zawadi", "la madre, doña Julia").</summary>
    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        "yake", "wake", "wangu", "wetu", "niyang", "niya", "ko", "namin", "her", "his", "their", "the", "own", "elder", "older", "younger", "late",
        "biological", "a", "o", "la", "le", "el", "sa", "son", "su", "sua", "seu", "ma", "mon", "mi",
    };

    // "A.W.", "J. K.", "M.N.O.", "B.A,": two to four capitals, each with a dot (the last one may lack it).
    [GeneratedRegex(@"(?<![\p{L}\p{N}.])\p{Lu}\. ?\p{Lu}(?:\. ?\p{Lu}){0,2}\.?(?![\p{L}])", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex InitialLetters();

    [GeneratedRegex(@"(?i:\b(?:initials|iniciales|initiales|iniciais|herufi)\b)[ :]+\(?[A-Z]{2,4}\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex InitialsCue();
}
