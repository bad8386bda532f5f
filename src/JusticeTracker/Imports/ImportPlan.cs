using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Cases.Pathways;
using JusticeTracker.Cases.Recording;

namespace JusticeTracker.Imports;

/// <summary>A case the import would open: its events in order, each with the sheet row it came from. The reference is drawn when it is written.</summary>
public sealed record PlannedCase(Guid CaseId, string Country, IReadOnlyList<(object Event, int Row)> Events);

/// <summary>What a batch would write, and what each row comes to.</summary>
public sealed record Plan(IReadOnlyList<RowOutcome> Rows, IReadOnlyList<PlannedCase> Cases)
{
    public int EntryCount => Cases.Sum(c => c.Events.Count(e => e.Event is CaseEntry));

    public int RefusedRows => Rows.Count(r => r.Problems.Count > 0);
}

/// <summary>Who the import acts for, and against what: the same facts a form's decision gets.</summary>
public sealed record ImportContext(Guid BatchId, ImportLayout Layout, CurrentUser User, string OrganisationId, IReadOnlyList<Organisation> Organisations, DateTimeOffset Now, PersonalDataCheck PersonalData, ImportVocabulary Vocabulary);

/// <summary>
/// Turns mapped rows into the commands a person would have typed, and decides each with the
/// forms' own decision functions (<see cref="OpenCaseEndpoint.Decide"/>, then
/// <see cref="RecordEntryEndpoint.Decide"/> on the case as it stands after the entries before it).
/// Pure: the dry run and the run call it alike, so what the dry run promised is what the run
/// writes. Ids are derived from the batch and the row, so a run started again writes nothing twice.
/// </summary>
public static class ImportPlan
{
    public const string NotAValue = "The value in column \"{0}\" is not one this column takes. The instructions sheet lists them.";
    public const string NotADate = "The date in column \"{0}\" cannot be read. Write it as 2024-03-15, 15/03/2024, 2024-03 or 2024.";
    public const string NotAnAmount = "The amount in column \"{0}\" is not a number.";
    public const string Needed = "This entry needs column \"{0}\".";
    public const string NoKey = "Give each row a case key, the same on every row of one case.";
    public const string CaseRefused = "This row's case was refused (see row {0}).";
    public const string NoKind = "Say in the kind column what happened, or leave the row out.";
    public const string NotImportable = "This kind of entry cannot be imported. Record it on the case page.";
    public const string NotAMember = "The organisation in column \"{0}\" is not a member organisation.";
    public const string NotYours = "You can import cases only for your own organisation.";

    public static Plan Decide(ImportContext context, IReadOnlyList<SheetColumn> columns, IReadOnlyList<string?> mapping, IEnumerable<StagedRow> rows)
    {
        var sheet = new Sheet(columns, mapping);
        var outcomes = new SortedDictionary<int, RowOutcome>();
        var cases = new List<PlannedCase>();
        foreach (var group in Groups(context, sheet, rows, outcomes))
        {
            cases.AddRange(DecideCase(context, sheet, group, outcomes));
        }

        return new Plan([.. outcomes.Values], cases);
    }

    /// <summary>The cells of a row by import column, as mapped.</summary>
    private sealed class Sheet(IReadOnlyList<SheetColumn> columns, IReadOnlyList<string?> mapping)
    {
        private readonly Dictionary<string, int> index = mapping
            .Select((id, i) => (id, i))
            .Where(m => m.id is not null)
            .GroupBy(m => m.id!)
            .ToDictionary(g => g.Key, g => g.First().i);

        public string? Cell(StagedRow row, string columnId) =>
            index.TryGetValue(columnId, out var i) && i < row.Cells.Length && !string.IsNullOrWhiteSpace(row.Cells[i]) ? row.Cells[i]!.Trim() : null;

        /// <summary>The sheet's own header of the column mapped to this one, for messages.</summary>
        public string Header(ImportColumn column) => index.TryGetValue(column.Id, out var i) ? columns[i].Header : column.Id;
    }

    private static IEnumerable<List<StagedRow>> Groups(ImportContext context, Sheet sheet, IEnumerable<StagedRow> rows, SortedDictionary<int, RowOutcome> outcomes)
    {
        if (context.Layout == ImportLayout.CasePerRow)
        {
            foreach (var row in rows)
            {
                yield return [row];
            }

            yield break;
        }

        var groups = new Dictionary<string, List<StagedRow>>(StringComparer.Ordinal);
        var order = new List<List<StagedRow>>();
        foreach (var row in rows)
        {
            var key = Columns.Fold(sheet.Cell(row, Columns.Key.Id));
            if (key.Length == 0)
            {
                outcomes[row.Number] = new RowOutcome(row.Number, false, 0, [new Problem(Columns.Key.Id, NoKey, [])], row.Blanked);
                continue;
            }

            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = [];
                order.Add(group);
            }

            group.Add(row);
        }

        foreach (var group in order)
        {
            yield return group;
        }
    }

    private static IEnumerable<PlannedCase> DecideCase(ImportContext context, Sheet sheet, List<StagedRow> group, SortedDictionary<int, RowOutcome> outcomes)
    {
        var first = group[0];
        var caseId = Ids.Of(context.BatchId, context.Layout == ImportLayout.CasePerRow ? $"row:{first.Number}" : $"key:{Columns.Fold(sheet.Cell(first, Columns.Key.Id))}");
        var problems = new Problems();
        var (command, organisation) = OpenCommand(context, sheet, first, caseId, problems);
        var opened = problems.Any ? Decision.Refuse(problems) : OpenCaseEndpoint.Decide(command, context.User, organisation, "", context.Now);
        if (opened.IsRefused)
        {
            outcomes[first.Number] = new RowOutcome(first.Number, false, 0, opened.Problems, first.Blanked);
            foreach (var row in group.Skip(1))
            {
                outcomes[row.Number] = new RowOutcome(row.Number, false, 0, [new Problem("", CaseRefused, [first.Number])], row.Blanked);
            }

            yield break;
        }

        var caseOpened = (CaseOpened)opened.Events[0];
        var @case = Case.Open(caseOpened);
        var events = new List<(object Event, int Row)> { (caseOpened, first.Number) };
        var recorded = group.ToDictionary(r => r.Number, _ => 0);
        var refused = group.ToDictionary(r => r.Number, _ => new List<Problem>());
        var recorder = context.User.AsRecorder();

        // Entries in the order they happened, as a person catching up would record them: a verdict
        // before its sentence, a claim before its award.
        var entries = group
            .SelectMany(row => Entries(context, sheet, row, row == first, caseOpened.Profile.Country).Select(e => (Row: row, e.Command, e.Problems)))
            .OrderBy(e => e.Command?.Occurred?.Earliest ?? DateOnly.MinValue)
            .ThenBy(e => e.Command?.Details is { } d ? (int?)EntryKinds.Of(d.GetType()).Stage ?? int.MaxValue : int.MaxValue)
            .ThenBy(e => e.Row.Number)
            .ToList();
        foreach (var (row, entry, entryProblems) in entries)
        {
            if (entry is null)
            {
                refused[row.Number].AddRange(entryProblems);
                continue;
            }

            // A sheet cannot name a claim: an answer goes to the earliest claim waiting for it.
            var linked = entry.Details is IClaimAnswer { Claim: null } answer && @case.Claims.Find(c => c.Awaits(answer)) is { } waiting
                ? entry with { Details = RecordEntryEndpoint.Answering(entry.Details, waiting.Id) }
                : entry;
            var decision = RecordEntryEndpoint.Decide(@case, linked, recorder, context.Now, context.PersonalData);
            if (decision.IsRefused)
            {
                refused[row.Number].AddRange(decision.Problems);
                continue;
            }

            @case = @case.Record((CaseEntry)decision.Events[0]);
            events.AddRange(decision.Events.Select(e => (e, row.Number)));
            recorded[row.Number]++;
        }

        foreach (var row in group)
        {
            outcomes[row.Number] = new RowOutcome(row.Number, row == first, recorded[row.Number], refused[row.Number], row.Blanked);
        }

        yield return new PlannedCase(caseId, caseOpened.Profile.Country, events);
    }

    private static (OpenCase Command, Organisation? Organisation) OpenCommand(ImportContext context, Sheet sheet, StagedRow row, Guid caseId, Problems problems)
    {
        var organisationId = context.OrganisationId;
        if (sheet.Cell(row, Columns.Organisation.Id) is { } named)
        {
            var folded = Columns.Fold(named);
            var match = context.Organisations.FirstOrDefault(o => Columns.Fold(o.Id) == folded || Columns.Fold(o.Name) == folded);
            if (match is null)
            {
                problems.Add(Columns.Organisation.Id, NotAMember, sheet.Header(Columns.Organisation));
            }
            else if (!context.User.IsLegalExpert && match.Id != context.User.OrganisationId)
            {
                problems.Add(Columns.Organisation.Id, NotYours);
            }
            else
            {
                organisationId = match.Id;
            }
        }

        var command = new OpenCase(
            caseId,
            sheet.Cell(row, Columns.Country.Id) is { } country ? context.Vocabulary.Country(country) : "",
            organisationId,
            Date(sheet, row, Columns.ExploitationBegan, problems)!,
            Code<AgeBand>(context, sheet, row, Columns.AgeBand, problems, required: true),
            Code<Sex>(context, sheet, row, Columns.Sex, problems, required: true),
            Forms(context, sheet, row, problems),
            Code(context, sheet, row, Columns.OnlineFacilitated, problems, required: false, YesNoUnknown.Unknown),
            Code(context, sheet, row, Columns.CrossBorder, problems, required: false, YesNoUnknown.Unknown),
            Code(context, sheet, row, Columns.ForeignOffender, problems, required: false, YesNoUnknown.Unknown),
            Code(context, sheet, row, Columns.Disability, problems, required: false, YesNoUnknown.Unknown));
        return (command, context.Organisations.FirstOrDefault(o => o.Id == organisationId));
    }

    /// <summary>The entries a row asks for, each as the record form would send it, or the problems that keep it from being one.</summary>
    private static IEnumerable<(RecordEntry? Command, IReadOnlyList<Problem> Problems)> Entries(ImportContext context, Sheet sheet, StagedRow row, bool opensCase, string country)
    {
        if (context.Layout == ImportLayout.CasePerRow)
        {
            foreach (var kind in Columns.Milestones)
            {
                var dateColumn = Columns.Find(ImportLayout.CasePerRow, kind.Name)!;
                if (sheet.Cell(row, dateColumn.Id) is null)
                {
                    continue;
                }

                yield return Entry(context, sheet, row, kind, dateColumn, Columns.Find(ImportLayout.CasePerRow, $"{kind.Name}.detail"), Columns.Find(ImportLayout.CasePerRow, $"{kind.Name}.amount"), note: null);
            }

            yield break;
        }

        var kindText = sheet.Cell(row, Columns.EntryKind.Id);
        if (kindText is null)
        {
            if (!opensCase)
            {
                yield return (null, [new Problem(Columns.EntryKind.Id, NoKind, [])]);
            }

            yield break;
        }

        // A kind, or a step of the case country's legal pathway by its code or its name (ADR 28).
        var local = context.Vocabulary.Kind(kindText) is null
            ? Pathways.Of(country)?.Stages.FirstOrDefault(s => !s.Retired && (Columns.Fold(s.Code) == Columns.Fold(kindText) || Columns.Fold(s.Name) == Columns.Fold(kindText)))
            : null;
        if ((context.Vocabulary.Kind(kindText) ?? local?.Kind) is not { } named)
        {
            yield return (null, [new Problem(Columns.EntryKind.Id, NotImportable, [])]);
            yield break;
        }

        yield return Entry(context, sheet, row, named, Columns.Occurred, Columns.Detail, Columns.Amount, sheet.Cell(row, Columns.Note.Id), local);
    }

    private static (RecordEntry? Command, IReadOnlyList<Problem> Problems) Entry(ImportContext context, Sheet sheet, StagedRow row, EntryKind kind, ImportColumn dateColumn, ImportColumn? detailColumn, ImportColumn? amountColumn, string? note, LocalStage? local = null)
    {
        var problems = new Problems();
        var occurred = Date(sheet, row, dateColumn, problems);
        var details = Details(context, sheet, row, kind, detailColumn, amountColumn, problems, local?.Choice);
        if (problems.Any || details is null)
        {
            return (null, problems.ToList());
        }

        return (new RecordEntry(Ids.Of(context.BatchId, $"entry:{row.Number}:{dateColumn.Id}"), 0, occurred!, details, note, LocalStage: local?.Code), []);
    }

    /// <summary>The entry a row describes; <paramref name="fixedDetail"/> is the value a step of the country's pathway fixes, taken when the row leaves the detail empty.</summary>
    private static CaseEntry? Details(ImportContext context, Sheet sheet, StagedRow row, EntryKind kind, ImportColumn? detailColumn, ImportColumn? amountColumn, Problems problems, string? fixedDetail = null)
    {
        var detail = (detailColumn is null ? null : sheet.Cell(row, detailColumn.Id)) ?? fixedDetail;
        T Choice<T>()
            where T : struct, Enum
        {
            if (detail is null)
            {
                problems.Add(detailColumn?.Id ?? "", Needed, detailColumn is null ? Columns.Detail.Id : sheet.Header(detailColumn));
                return default;
            }

            if (!context.Vocabulary.TryCode<T>(detail, out var value))
            {
                problems.Add(detailColumn!.Id, NotAValue, sheet.Header(detailColumn));
            }

            return value;
        }

        Track TrackOf() => Code<Track>(context, sheet, row, Columns.Track, problems, required: true);

        Money Money()
        {
            var amount = amountColumn is null ? null : Amount(sheet, row, amountColumn, problems);
            if (amountColumn is not null && amount is null && sheet.Cell(row, amountColumn.Id) is null)
            {
                problems.Add(amountColumn.Id, Needed, sheet.Header(amountColumn));
            }

            return new Money(amount ?? 0, sheet.Cell(row, Columns.Currency.Id)?.ToUpperInvariant() ?? "");
        }

        return kind.Type.Name switch
        {
            nameof(ReportedToAuthorities) => new ReportedToAuthorities(Choice<ReportChannel>()),
            nameof(InvestigationOpened) => new InvestigationOpened(),
            nameof(SuspectIdentified) => new SuspectIdentified(),
            nameof(SuspectArrested) => new SuspectArrested(),
            nameof(ChargesFiled) => new ChargesFiled(),
            nameof(ProsecutionDeclined) => new ProsecutionDeclined(Choice<DeclineReason>()),
            nameof(TrialOpened) => new TrialOpened(),
            nameof(TestimonyGiven) => new TestimonyGiven(Measures(context, sheet, row, detail, detailColumn, problems)),
            nameof(VerdictDelivered) => new VerdictDelivered(Choice<VerdictOutcome>()),
            nameof(SentenceImposed) => new SentenceImposed(),
            nameof(AppealFiled) => new AppealFiled(),
            nameof(AppealDecided) => new AppealDecided(Choice<AppealOutcome>()),
            nameof(NeedsAssessed) => new NeedsAssessed(),
            nameof(ServiceReferred) => new ServiceReferred(Choice<RecoveryService>()),
            nameof(ServiceRefused) => new ServiceRefused(Choice<RecoveryService>()),
            nameof(ServiceUnavailable) => new ServiceUnavailable(Choice<RecoveryService>()),
            nameof(ServiceStarted) => new ServiceStarted(Choice<RecoveryService>()),
            nameof(CarePlanAgreed) => new CarePlanAgreed(),
            nameof(ServiceEnded) => new ServiceEnded(Choice<RecoveryService>()),
            nameof(ReintegrationOutcomeRecorded) => new ReintegrationOutcomeRecorded(Choice<ReintegrationResult>()),
            nameof(InformedOfCompensationRight) => new InformedOfCompensationRight(),
            nameof(CompensationClaimed) => new CompensationClaimed(Choice<ClaimRoute>()),
            nameof(CompensationAwarded) => new CompensationAwarded(Money()),
            nameof(CompensationRejected) => new CompensationRejected(Choice<ClaimRejectionReason>()),
            nameof(CompensationClaimWithdrawn) => new CompensationClaimWithdrawn(),
            nameof(CompensationPaid) => new CompensationPaid(Money(), detail is not null && context.Vocabulary.TryCode<YesNoUnknown>(detail, out var full) && full == YesNoUnknown.Yes),
            nameof(EnforcementFailed) => new EnforcementFailed(Choice<EnforcementFailure>()),
            nameof(ReparationOrdered) => new ReparationOrdered(Choice<ReparationKind>()),
            nameof(ReExploited) => new ReExploited(),
            nameof(ThreatReported) => new ThreatReported(),
            nameof(ProtectionOrderIssued) => new ProtectionOrderIssued(),
            nameof(JoinedProceedings) => new JoinedProceedings(Choice<PartyRole>()),
            nameof(PleaEntered) => new PleaEntered(Choice<Plea>()),
            nameof(BarrierRecorded) => new BarrierRecorded(TrackOf(), null, Choice<BarrierCategory>(), Code(context, sheet, row, Columns.Severity, problems, required: false, BarrierSeverity.Blocked)),
            nameof(LimitationDateRecorded) => detail is not null && ParseDate(detail) is { } expires
                ? new LimitationDateRecorded(TrackOf(), expires.Date)
                : Refuse(problems.Add(Columns.Detail.Id, NotADate, sheet.Header(Columns.Detail))),
            nameof(TrackClosed) => TrackOf() is var track && track == Track.CriminalJustice
                ? new TrackClosed(track, Choice<CriminalClosureReason>())
                : new TrackClosed(track, null),
            nameof(CaseClosed) => new CaseClosed(),
            _ => Refuse(problems.Add(Columns.EntryKind.Id, NotImportable)),
        };
    }

    private static CaseEntry? Refuse(Problems _) => null;

    private static List<ChildFriendlyMeasure> Measures(ImportContext context, Sheet sheet, StagedRow row, string? detail, ImportColumn? column, Problems problems)
    {
        if (Columns.Fold(detail) is "none" or "aucune" or "aucun" or "ninguna" or "ninguno")
        {
            return [];
        }

        var measures = List<ChildFriendlyMeasure>(context, detail);
        problems.AddIf(measures is null, column?.Id ?? "", NotAValue, column is null ? "" : sheet.Header(column));
        return measures ?? [];
    }

    private static List<ExploitationForm> Forms(ImportContext context, Sheet sheet, StagedRow row, Problems problems)
    {
        var forms = List<ExploitationForm>(context, sheet.Cell(row, Columns.Forms.Id));
        problems.AddIf(forms is null, Columns.Forms.Id, NotAValue, sheet.Header(Columns.Forms));
        return forms ?? [];
    }

    /// <summary>
    /// Codes of a list written in one cell, separated by semicolons (or commas, when no label of
    /// the list holds one); null if any is not a code of the list.
    /// </summary>
    private static List<T>? List<T>(ImportContext context, string? cell)
        where T : struct, Enum
    {
        var found = new List<T>();
        foreach (var part in cell?.Split([';', '|', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [])
        {
            if (context.Vocabulary.TryCode<T>(part, out var whole))
            {
                found.Add(whole);
                continue;
            }

            foreach (var piece in part.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!context.Vocabulary.TryCode<T>(piece, out var value))
                {
                    return null;
                }

                found.Add(value);
            }
        }

        return found;
    }

    private static T Code<T>(ImportContext context, Sheet sheet, StagedRow row, ImportColumn column, Problems problems, bool required, T missing = default)
        where T : struct, Enum
    {
        var cell = sheet.Cell(row, column.Id);
        if (cell is null)
        {
            // A required code left out is refused by the decision as any missing choice would be.
            problems.AddIf(required, column.Id, Needed, sheet.Header(column));
            return missing;
        }

        if (context.Vocabulary.TryCode<T>(cell, out var value))
        {
            return value;
        }

        problems.Add(column.Id, NotAValue, sheet.Header(column));
        return missing;
    }

    private static FuzzyDate? Date(Sheet sheet, StagedRow row, ImportColumn column, Problems problems)
    {
        var cell = sheet.Cell(row, column.Id);
        if (cell is null)
        {
            return null;
        }

        var date = ParseDate(cell);
        problems.AddIf(date is null, column.Id, NotADate, sheet.Header(column));
        return date;
    }

    private static readonly (string Format, DatePrecision Precision)[] DateFormats =
    [
        ("yyyy-MM-dd", DatePrecision.Day), ("yyyy/MM/dd", DatePrecision.Day), ("d/M/yyyy", DatePrecision.Day), ("d.M.yyyy", DatePrecision.Day), ("d-M-yyyy", DatePrecision.Day),
        ("yyyy-MM", DatePrecision.Month), ("yyyy/MM", DatePrecision.Month), ("M/yyyy", DatePrecision.Month), ("M.yyyy", DatePrecision.Month), ("M-yyyy", DatePrecision.Month),
        ("yyyy", DatePrecision.Year),
    ];

    /// <summary>
    /// A date as precise as it is written: a day, a month or a year. Days are read day first
    /// (15/03/2024), as the network's members write them; a spreadsheet's own date cells arrive as
    /// ISO dates. Month names are not guessed.
    /// </summary>
    public static FuzzyDate? ParseDate(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        foreach (var (format, precision) in DateFormats)
        {
            if (DateOnly.TryParseExact(trimmed, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 1900)
            {
                return FuzzyDate.Of(date, precision);
            }
        }

        return null;
    }

    private static decimal? Amount(Sheet sheet, StagedRow row, ImportColumn column, Problems problems)
    {
        var cell = sheet.Cell(row, column.Id);
        if (cell is null)
        {
            return null;
        }

        var amount = ParseAmount(cell);
        problems.AddIf(amount is null, column.Id, NotAnAmount, sheet.Header(column));
        return amount;
    }

    /// <summary>
    /// An amount written with a decimal point or a decimal comma, with or without thousands
    /// separators: the last of "." and "," followed by one or two digits is the decimal mark.
    /// </summary>
    public static decimal? ParseAmount(string text)
    {
        var digits = new string([.. text.Where(c => char.IsDigit(c) || c is '.' or ',' or '-')]);
        var mark = digits.LastIndexOfAny(['.', ',']);
        var normal = mark >= 0 && digits.Length - mark - 1 is 1 or 2
            ? digits[..mark].Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal) + "." + digits[(mark + 1)..]
            : digits.Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        return decimal.TryParse(normal, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) ? amount : null;
    }
}

/// <summary>Ids derived from a batch and a name: the same row of the same batch always gets the same case and entry ids.</summary>
public static class Ids
{
    public static Guid Of(Guid batchId, string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{batchId:N}/{name}"), hash);
        var bytes = hash[..16];

        // Version 8 (custom) and the RFC 9562 variant, so the id reads as the kind of id it is.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
