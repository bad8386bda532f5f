using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using JusticeTracker.Cases;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Imports;

/// <summary>The labels of a code list, in the reader's language, for the instructions.</summary>
public static class Codes
{
    public static IEnumerable<string> Labels(Type type, IStringLocalizer l) =>
        Enum.GetNames(type).Select(name => l[$"{type.Name}.{name}"].Value);
}

/// <summary>
/// Reads headers and codes written in English, French or Spanish: a code by its name, its JSON
/// name or its label in any of the three languages, compared without case, accents, spaces or
/// punctuation ("Sí", "si", "SI" and "Yes" are all <see cref="YesNoUnknown.Yes"/>).
/// </summary>
public sealed class ImportVocabulary
{
    public static readonly string[] Languages = ["en", "fr", "es"];

    private static readonly Type[] CodeTypes =
    [
        typeof(AgeBand), typeof(Sex), typeof(ExploitationForm), typeof(YesNoUnknown), typeof(Track), typeof(BarrierSeverity),
        typeof(BarrierCategory), typeof(ChildFriendlyMeasure), .. EntryKinds.All.Select(k => k.Choice).OfType<Type>(),
    ];

    /// <summary>Other headers people give these columns, folded, beyond the templates' own.</summary>
    private static readonly Dictionary<string, string[]> Synonyms = new()
    {
        ["key"] = ["case key", "key", "case", "row", "ref", "cle", "cas", "clave", "caso", "fila"],
        ["organisation"] = ["organisation", "organization", "organisation id", "member", "organizacion", "membre", "miembro"],
        ["country"] = ["country", "country code", "pays", "pais"],
        ["exploitationBegan"] = ["began", "start", "exploitation began", "debut", "debut de l exploitation", "inicio", "inicio de la explotacion"],
        ["ageBand"] = ["age", "age band", "age group", "tranche d age", "age au debut", "edad", "grupo de edad", "franja de edad"],
        ["sex"] = ["sex", "gender", "sexe", "genre", "sexo", "genero"],
        ["forms"] = ["form", "forms", "exploitation", "type of exploitation", "forme", "formes", "forma", "formas", "tipo de explotacion"],
        ["onlineFacilitated"] = ["online", "en ligne", "en linea"],
        ["crossBorder"] = ["cross border", "transfrontalier", "transfronterizo"],
        ["foreignOffender"] = ["foreign offender", "auteur etranger", "agresor extranjero"],
        ["disability"] = ["disability", "handicap", "discapacidad"],
        ["kind"] = ["kind", "entry", "event", "type", "entree", "evenement", "tipo", "entrada", "evento"],
        ["occurred"] = ["date", "when", "occurred", "fecha", "cuando", "quand"],
        ["detail"] = ["detail", "details", "outcome", "reason", "precision", "resultat", "motif", "detalle", "resultado", "motivo"],
        ["track"] = ["track", "voie", "via"],
        ["severity"] = ["severity", "gravite", "gravedad"],
        ["amount"] = ["amount", "montant", "monto", "importe"],
        ["currency"] = ["currency", "devise", "monnaie", "moneda", "divisa"],
        ["note"] = ["note", "notes", "comment", "comments", "remarque", "commentaire", "nota", "comentario", "observaciones"],
    };

    private readonly Dictionary<Type, Dictionary<string, object>> codes = [];
    private readonly Dictionary<string, EntryKind> kinds = [];
    private readonly Dictionary<ImportLayout, Dictionary<string, string>> headers = [];
    private readonly Dictionary<string, string> countries = [];

    public ImportVocabulary(IStringLocalizer<SharedResource> l)
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            foreach (var type in CodeTypes.Distinct())
            {
                var byText = codes[type] = [];
                foreach (var value in Enum.GetValues(type))
                {
                    var name = Enum.GetName(type, value)!;
                    Add(byText, name, value);
                    Add(byText, type.GetField(name)!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name, value);
                }
            }

            foreach (var kind in Columns.Importable)
            {
                Add(kinds, kind.Name, kind);
            }

            foreach (var layout in Enum.GetValues<ImportLayout>())
            {
                var byHeader = headers[layout] = [];
                foreach (var column in Columns.For(layout))
                {
                    Add(byHeader, column.Id, column.Id);
                    foreach (var synonym in column.Kind is null ? Synonyms.GetValueOrDefault(column.Id, []) : [])
                    {
                        Add(byHeader, synonym, column.Id);
                    }
                }
            }

            foreach (var language in Languages)
            {
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
                foreach (var (type, byText) in codes)
                {
                    foreach (var value in Enum.GetValues(type))
                    {
                        Add(byText, l[$"{type.Name}.{Enum.GetName(type, value)}"], value);
                    }
                }

                foreach (var kind in Columns.Importable)
                {
                    Add(kinds, l[kind.TextKey], kind);
                }

                foreach (var layout in Enum.GetValues<ImportLayout>())
                {
                    foreach (var column in Columns.For(layout))
                    {
                        Add(headers[layout], column.Header(l), column.Id);
                    }
                }
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }

        // Countries by their English names ("Kenya", "Philippines"), as well as by ISO code.
        foreach (var code in IsoCodes.Countries)
        {
            Add(countries, Pages.CountryNames.Of(code), code);
        }

        // Short answers people type for yes and no.
        foreach (var (text, value) in new[] { ("y", YesNoUnknown.Yes), ("true", YesNoUnknown.Yes), ("n", YesNoUnknown.No), ("false", YesNoUnknown.No), ("?", YesNoUnknown.Unknown), ("nk", YesNoUnknown.Unknown) })
        {
            Add(codes[typeof(YesNoUnknown)], text, value);
        }
    }

    private static void Add<T>(Dictionary<string, T> into, string? text, T value)
    {
        var key = Compact(text);
        if (key.Length > 0)
        {
            into.TryAdd(key, value);
        }
    }

    /// <summary>Folded, without spaces: "Hotline referral" and "HotlineReferral" meet.</summary>
    private static string Compact(string? text) => Columns.Fold(text).Replace(" ", "", StringComparison.Ordinal) is { Length: > 0 } folded ? folded : text?.Trim() ?? "";

    public bool TryCode<T>(string? text, out T value)
        where T : struct, Enum
    {
        if (codes[typeof(T)].TryGetValue(Compact(text), out var found))
        {
            value = (T)found;
            return true;
        }

        value = default;
        return false;
    }

    public object? Code(Type type, string? text) => codes[type].GetValueOrDefault(Compact(text));

    public EntryKind? Kind(string? text) => kinds.GetValueOrDefault(Compact(text));

    /// <summary>The ISO code of a country written as its code or its English name; the text itself if neither.</summary>
    public string Country(string text) =>
        text.Trim() is { Length: 2 } code ? code : countries.GetValueOrDefault(Compact(text), text);

    /// <summary>Whether the text is a code of some list, a kind, or a list of codes: not free text.</summary>
    public bool IsCode(string text) => Known(text) || (text.Split([';', ',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 1 } parts && parts.All(Known));

    private bool Known(string text) => kinds.ContainsKey(Compact(text)) || countries.ContainsKey(Compact(text)) || codes.Values.Any(byText => byText.ContainsKey(Compact(text)));

    /// <summary>The column a header most likely means in this layout, or null.</summary>
    public string? Propose(ImportLayout layout, string? header) => headers[layout].GetValueOrDefault(Compact(header));
}
