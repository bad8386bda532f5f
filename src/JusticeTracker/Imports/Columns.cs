using System.Globalization;
using System.Text;
using JusticeTracker.Cases;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Imports;

/// <summary>How a spreadsheet holds its cases.</summary>
public enum ImportLayout
{
    /// <summary>One row per case: its profile, and a date column per milestone.</summary>
    CasePerRow,

    /// <summary>One row per entry, with a case key that groups the rows of one case.</summary>
    EntryPerRow,
}

/// <summary>What a column's cells hold, which decides how they are read.</summary>
public enum CellValue { Key, Organisation, Country, Date, AgeBand, Sex, Forms, YesNoUnknown, Kind, Detail, Amount, Currency, Track, Severity, Note }

/// <summary>
/// A column the importer understands. <paramref name="Kind"/> is set for the milestone columns of
/// the case-per-row layout (its date, its detail, its amount).
/// </summary>
public sealed record ImportColumn(string Id, CellValue Value, EntryKind? Kind = null)
{
    /// <summary>Its header in the reader's language, as the templates write it.</summary>
    public string Header(IStringLocalizer l) => (Kind, Value) switch
    {
        (null, _) => l[$"Import.Column.{Id}"],
        (_, CellValue.Date) => l[Kind.TextKey],
        (_, CellValue.Amount) => l["{0}: amount", l[Kind.TextKey]],
        _ => l["{0}: detail", l[Kind.TextKey]],
    };

    /// <summary>What to enter, for the instructions sheet and the mapping page.</summary>
    public string Help(IStringLocalizer l) => (Kind, Value) switch
    {
        (null, _) => l[$"Import.Help.{Id}"],
        (_, CellValue.Date) => l["Import.Help.MilestoneDate"],
        (_, CellValue.Amount) => l["Import.Help.amount"],
        _ => Columns.DetailHelp(Kind, l),
    };
}

/// <summary>The columns of each layout, and how headers and cells in English, French or Spanish are recognised.</summary>
public static class Columns
{
    public static readonly ImportColumn Key = new("key", CellValue.Key);
    public static readonly ImportColumn Organisation = new("organisation", CellValue.Organisation);
    public static readonly ImportColumn Country = new("country", CellValue.Country);
    public static readonly ImportColumn ExploitationBegan = new("exploitationBegan", CellValue.Date);
    public static readonly ImportColumn AgeBand = new("ageBand", CellValue.AgeBand);
    public static readonly ImportColumn Sex = new("sex", CellValue.Sex);
    public static readonly ImportColumn Forms = new("forms", CellValue.Forms);
    public static readonly ImportColumn OnlineFacilitated = new("onlineFacilitated", CellValue.YesNoUnknown);
    public static readonly ImportColumn CrossBorder = new("crossBorder", CellValue.YesNoUnknown);
    public static readonly ImportColumn ForeignOffender = new("foreignOffender", CellValue.YesNoUnknown);
    public static readonly ImportColumn Disability = new("disability", CellValue.YesNoUnknown);
    public static readonly ImportColumn EntryKind = new("kind", CellValue.Kind);
    public static readonly ImportColumn Occurred = new("occurred", CellValue.Date);
    public static readonly ImportColumn Detail = new("detail", CellValue.Detail);
    public static readonly ImportColumn Amount = new("amount", CellValue.Amount);
    public static readonly ImportColumn Currency = new("currency", CellValue.Currency);
    public static readonly ImportColumn Track = new("track", CellValue.Track);
    public static readonly ImportColumn Severity = new("severity", CellValue.Severity);
    public static readonly ImportColumn Note = new("note", CellValue.Note);

    private static readonly ImportColumn[] Profile = [Key, Organisation, Country, ExploitationBegan, AgeBand, Sex, Forms, OnlineFacilitated, CrossBorder, ForeignOffender, Disability];

    /// <summary>
    /// The milestones a case-per-row sheet has a date column for: every milestone but testimony,
    /// whose child-friendly measures a date alone cannot say (the entry-per-row layout takes them).
    /// </summary>
    public static readonly IReadOnlyList<EntryKind> Milestones = [.. EntryKinds.All.Where(k => k.Stage is not null && k.Type != typeof(TestimonyGiven))];

    /// <summary>
    /// The kinds an entry-per-row sheet may hold: the milestones, barriers, limitation dates and
    /// closures, services refused or missing, the child's safety and reparation. A step of the
    /// case country's legal pathway is taken too, by its code or its name (ADR 28).
    /// </summary>
    public static readonly IReadOnlyList<EntryKind> Importable =
    [
        .. EntryKinds.All.Where(k => k.Stage is not null),
        .. new[] { typeof(ServiceRefused), typeof(ServiceUnavailable), typeof(ReparationOrdered), typeof(ReExploited), typeof(ThreatReported), typeof(ProtectionOrderIssued) }.Select(EntryKinds.Of),
        EntryKinds.Of(typeof(BarrierRecorded)),
        EntryKinds.Of(typeof(LimitationDateRecorded)),
        EntryKinds.Of(typeof(TrackClosed)),
        EntryKinds.Of(typeof(CaseClosed)),
    ];

    /// <summary>Kinds whose detail is not a code of their own: an amount, a yes/no, a date or a list.</summary>
    private static bool HasDetail(EntryKind kind) => kind.Choice is not null || kind.Type == typeof(CompensationPaid);

    public static IReadOnlyList<ImportColumn> For(ImportLayout layout) => layout switch
    {
        ImportLayout.CasePerRow =>
        [
            .. Profile,
            .. Milestones.SelectMany(k => (IEnumerable<ImportColumn>)[
                new($"{k.Name}", CellValue.Date, k),
                .. HasDetail(k) ? [new ImportColumn($"{k.Name}.detail", CellValue.Detail, k)] : Array.Empty<ImportColumn>(),
                .. k.Type == typeof(CompensationAwarded) || k.Type == typeof(CompensationPaid) ? [new ImportColumn($"{k.Name}.amount", CellValue.Amount, k)] : Array.Empty<ImportColumn>()]),
            Currency,
        ],
        _ => [.. Profile, EntryKind, Occurred, Detail, Track, Severity, Amount, Currency, Note],
    };

    public static ImportColumn? Find(ImportLayout layout, string? id) => id is null ? null : For(layout).FirstOrDefault(c => c.Id == id);

    public static string DetailHelp(EntryKind kind, IStringLocalizer l) => kind.Type.Name switch
    {
        nameof(CompensationPaid) => l["Import.Help.paidInFull"],
        _ => l["Import.Help.detailCodes", string.Join(", ", Codes.Labels(kind.Choice!, l))],
    };

    /// <summary>
    /// Words that head columns of names, contact details, identity numbers, birth dates, schools
    /// and file numbers, in English, French and Spanish (folded: lower case, no accents). A column
    /// whose header holds one is never mapped and never stored.
    /// </summary>
    private static readonly HashSet<string> IdentifyingWords =
    [
        "name", "names", "firstname", "lastname", "surname", "fullname", "forename", "initials", "alias", "nickname",
        "nom", "noms", "prenom", "prenoms", "surnom", "nombre", "nombres", "apellido", "apellidos", "apodo",
        "phone", "telephone", "tel", "mobile", "cell", "cellphone", "telefono", "celular", "movil", "portable", "whatsapp", "telegram",
        "email", "mail", "courriel", "correo", "facebook", "instagram", "tiktok", "snapchat", "twitter", "handle", "username", "pseudo",
        "address", "adresse", "direccion", "domicilio", "street", "rue", "calle", "village", "barrio", "quartier", "neighbourhood", "neighborhood", "gps", "coordinates",
        "passport", "passeport", "pasaporte", "dni", "cedula", "curp", "nin", "ssn", "nid", "identity", "identite", "identidad", "identification",
        "birth", "birthday", "birthdate", "dob", "naissance", "nacimiento",
        "school", "ecole", "escuela", "colegio", "college", "lycee", "class", "classe",
        "guardian", "tuteur", "tutor", "mother", "father", "mere", "pere", "madre", "padre", "parent", "parents",
        "dossier", "expediente", "docket", "photo", "picture", "foto",
    ];

    private static readonly string[] IdentifyingPhrases = ["id number", "id no", "national id", "idnumber", "case file", "file number", "court file", "numero de dossier", "numero de expediente"];

    /// <summary>Whether the header names a column of personal data.</summary>
    public static bool LooksIdentifying(string? header)
    {
        var folded = Fold(header);
        return folded.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(IdentifyingWords.Contains)
            || IdentifyingPhrases.Any(p => folded.Contains(p, StringComparison.Ordinal));
    }

    /// <summary>Lower case, accents removed, anything but letters and digits a single space: how headers and codes are compared.</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return builder.ToString();
    }
}
