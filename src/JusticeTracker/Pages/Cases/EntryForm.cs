using JusticeTracker.Cases;
using Domain = JusticeTracker.Cases;

namespace JusticeTracker.Pages.Cases;

/// <summary>
/// What a record form posts: the fields every entry has, and those of each kind. The command id
/// and the version seen are made when the form is shown, so a double submit records once and an
/// edit made meanwhile by someone else is noticed.
/// </summary>
public sealed class EntryForm
{
    public Guid CommandId { get; set; } = Guid.NewGuid();
    public long Version { get; set; }
    public string Kind { get; set; } = "";
    public DateOnly? Occurred { get; set; }
    public DatePrecision Precision { get; set; } = DatePrecision.Day;
    public string? Note { get; set; }
    public Guid? Corrects { get; set; }
    public string? CorrectionReason { get; set; }

    /// <summary>The step of the country's legal pathway the entry records, when it was chosen from the country's own steps.</summary>
    public string? LocalStage { get; set; }

    /// <summary>The one code most kinds take: a channel, an outcome, a service, a route or a reason.</summary>
    public string? Choice { get; set; }

    public List<ChildFriendlyMeasure> Measures { get; set; } = [];

    /// <summary>How many interviews a hearing before trial took.</summary>
    public int? Interviews { get; set; }
    public decimal? Amount { get; set; }
    public string? Currency { get; set; }
    public bool InFull { get; set; }
    public Track? Track { get; set; }
    public Stage? Stage { get; set; }
    public BarrierCategory? Category { get; set; }
    public BarrierSeverity? Severity { get; set; }
    public ChildRight? Right { get; set; }
    public RightRespect? Respect { get; set; }

    /// <summary>The last day a step is still possible on the track, for a limitation date.</summary>
    public DateOnly? Expires { get; set; }

    /// <summary>Which offender an entry about a suspect is about: 1, 2…</summary>
    public int? Offender { get; set; }

    public Offence? ConvictedOf { get; set; }

    public SentenceType? SentenceType { get; set; }

    public SentenceLength? Length { get; set; }

    public Appellant? Appellant { get; set; }

    /// <summary>The key of the proceeding a case joins; empty to start a new one.</summary>
    public string? Proceeding { get; set; }

    /// <summary>The claim a decision or a payment answers.</summary>
    public Guid? Claim { get; set; }

    /// <summary>The barrier to mark overcome, or the entry to retract.</summary>
    public Guid? Target { get; set; }

    /// <summary>The code type the kind's <see cref="Choice"/> takes.</summary>
    public static Type? ChoiceOf(string kind) => EntryKinds.Named(kind)?.Choice;

    /// <summary>A code by its declared name only: <see cref="Enum.TryParse{TEnum}(string?, out TEnum)"/> also takes "42" and "A, B".</summary>
    private static T? Named<T>(string? text) where T : struct, Enum =>
        text is not null && Enum.GetNames<T>().Contains(text, StringComparer.Ordinal) ? Enum.Parse<T>(text) : null;

    /// <summary>The entry the form describes, or null with the missing answers added to the problems.</summary>
    public CaseEntry? ToDetails(Problems problems)
    {
        T? Pick<T>() where T : struct, Enum
        {
            if (Named<T>(Choice) is { } value)
            {
                return value;
            }

            problems.Add("Form.Choice", "Choose one of the options.");
            return null;
        }

        // Optional, but a reason that is not on the list is refused rather than dropped.
        T? Optional<T>() where T : struct, Enum
        {
            if (string.IsNullOrEmpty(Choice))
            {
                return null;
            }

            if (Named<T>(Choice) is { } value)
            {
                return value;
            }

            problems.Add("Form.Choice", "Choose a value from the list.");
            return null;
        }

        Money? Money()
        {
            problems.AddIf(Amount is null, "Form.Amount", "Enter the amount.").AddIf(string.IsNullOrWhiteSpace(Currency), "Form.Currency", "Enter the currency.");
            return Amount is { } amount && !string.IsNullOrWhiteSpace(Currency) ? new Money(amount, Currency.Trim().ToUpperInvariant()) : null;
        }

        // The amount claimed is optional, but half of one is not.
        Money? OptionalMoney() => Amount is null && string.IsNullOrWhiteSpace(Currency) ? null : Money();

        T Required<T>(T? value, string field, string problem) where T : struct
        {
            problems.AddIf(value is null, field, problem);
            return value ?? default;
        }

        // A form (or a script) that names no offender means the first, as the API does.
        int Offender() => this.Offender ?? 1;

        CaseEntry? entry = Kind switch
        {
            nameof(ReportedToAuthorities) => Pick<ReportChannel>() is { } c ? new ReportedToAuthorities(c) : null,
            nameof(InvestigationOpened) => new InvestigationOpened(),
            nameof(JoinedProceedings) => Pick<PartyRole>() is { } role ? new JoinedProceedings(role) : null,
            nameof(SuspectIdentified) => new SuspectIdentified(Offender()),
            nameof(SuspectArrested) => new SuspectArrested(Offender()),
            nameof(ChargesFiled) => new ChargesFiled(Offender()),
            nameof(ProsecutionDeclined) => Pick<DeclineReason>() is { } r ? new ProsecutionDeclined(r, Offender()) : null,
            nameof(PleaEntered) => Pick<Plea>() is { } p ? new PleaEntered(p, Offender()) : null,
            nameof(TrialOpened) => new TrialOpened(),
            nameof(TestimonyGiven) => new TestimonyGiven(Measures),
            nameof(ChildHeard) => Pick<HearingSetting>() is { } setting ? new ChildHeard(setting, Measures, Interviews ?? 1) : null,
            nameof(VerdictDelivered) => Pick<VerdictOutcome>() is { } v ? new VerdictDelivered(v, Offender(), ConvictedOf) : null,
            nameof(SentenceImposed) => new SentenceImposed(Offender(), SentenceType, Length),
            nameof(AppealFiled) => new AppealFiled(Offender(), Appellant),
            nameof(AppealDecided) => Pick<AppealOutcome>() is { } a ? new AppealDecided(a, Offender()) : null,
            nameof(NeedsAssessed) => new NeedsAssessed(),
            nameof(ServiceReferred) => Pick<RecoveryService>() is { } s ? new ServiceReferred(s) : null,
            nameof(ServiceRefused) => Pick<RecoveryService>() is { } s ? new ServiceRefused(s) : null,
            nameof(ServiceUnavailable) => Pick<RecoveryService>() is { } s ? new ServiceUnavailable(s) : null,
            nameof(ServiceStarted) => Pick<RecoveryService>() is { } s ? new ServiceStarted(s) : null,
            nameof(CarePlanAgreed) => new CarePlanAgreed(),
            nameof(ServiceEnded) => Pick<RecoveryService>() is { } s ? new ServiceEnded(s) : null,
            nameof(ReintegrationOutcomeRecorded) => Pick<ReintegrationResult>() is { } o ? new ReintegrationOutcomeRecorded(o) : null,
            nameof(InformedOfCompensationRight) => new InformedOfCompensationRight(),
            nameof(CompensationClaimed) => Pick<ClaimRoute>() is { } route ? new CompensationClaimed(route, OptionalMoney()) : null,
            nameof(CompensationAwarded) => Money() is { } m ? new CompensationAwarded(m, Claim) : null,
            nameof(CompensationRejected) => Pick<ClaimRejectionReason>() is { } r ? new CompensationRejected(r, Claim) : null,
            nameof(CompensationClaimWithdrawn) => new CompensationClaimWithdrawn(Claim),
            nameof(CompensationPaid) => Money() is { } m ? new CompensationPaid(m, InFull, Claim) : null,
            nameof(EnforcementFailed) => Pick<EnforcementFailure>() is { } f ? new EnforcementFailed(f) : null,
            nameof(ReparationOrdered) => Pick<ReparationKind>() is { } k ? new ReparationOrdered(k) : null,
            nameof(ProceedingLinked) => Pick<ProceedingLink>() is { } link ? new ProceedingLinked(Proceeding, link) : null,
            nameof(ReExploited) => new ReExploited(),
            nameof(ThreatReported) => new ThreatReported(),
            nameof(ProtectionOrderIssued) => new ProtectionOrderIssued(),
            nameof(BarrierRecorded) => new BarrierRecorded(
                Required(Track, "Form.Track", "Choose the track the barrier blocks."),
                Stage,
                Required(Category, "Form.Category", "Choose the kind of barrier."),
                Required(Severity, "Form.Severity", "Say whether it delayed or blocked the track.")),
            nameof(BarrierOvercome) => new BarrierOvercome(Required(Target, "Form.Target", "Choose the barrier that was overcome.")),
            nameof(RightAssessed) => new RightAssessed(
                Required(Right, "Form.Right", "Choose the right."),
                Required(Respect, "Form.Respect", "Say how far it was respected.")),
            nameof(LimitationDateRecorded) => new LimitationDateRecorded(
                Required(Track, "Form.Track", "Choose the track."),
                Required(Expires, "Form.Expires", "Enter the limitation date.")),
            nameof(TrackClosed) => new TrackClosed(
                Required(Track, "Form.Track", "Choose the track."),
                Track == Domain.Track.CriminalJustice ? Optional<CriminalClosureReason>() : null),
            nameof(TrackReopened) => new TrackReopened(Required(Track, "Form.Track", "Choose the track.")),
            nameof(CaseClosed) => new CaseClosed(),
            nameof(CaseReopened) => new CaseReopened(),
            nameof(EntryRetracted) => new EntryRetracted(Required(Target, "Form.Target", "Choose the entry to retract.")),
            _ => null,
        };
        problems.AddIf(EntryKinds.Named(Kind) is not { OnRecordForm: true }, "Form.Kind", "Choose what to record.");
        problems.AddIf(Occurred is null, "Form.Occurred", "Enter when it happened.");
        return problems.Any ? null : entry;
    }

    /// <summary>A form filled with an entry's values, to correct it.</summary>
    public static EntryForm Correcting(CaseEntry entry, long version)
    {
        var form = new EntryForm
        {
            Version = version,
            Kind = entry.Kind,
            Occurred = entry.Entry.Occurred.Date,
            Precision = entry.Entry.Occurred.Precision,
            Note = entry.Entry.Note,
            Corrects = entry.Entry.EntryId,
            LocalStage = entry.Entry.LocalStage,
        };
        form.Offender = (entry as IOffenderEntry)?.Offender;
        form.Claim = (entry as IClaimAnswer)?.Claim;
        switch (entry)
        {
            case ReportedToAuthorities e: form.Choice = e.Channel.ToString(); break;
            case JoinedProceedings e: form.Choice = e.Role.ToString(); break;
            case PleaEntered e: form.Choice = e.Plea.ToString(); break;
            case SentenceImposed e: (form.SentenceType, form.Length) = (e.Type, e.Length); break;
            case AppealFiled e: form.Appellant = e.By; break;
            case ProsecutionDeclined e: form.Choice = e.Reason.ToString(); break;
            case TestimonyGiven e: form.Measures = [.. e.Measures]; break;
            case ChildHeard e: (form.Choice, form.Measures, form.Interviews) = (e.Setting.ToString(), [.. e.Measures], e.Interviews); break;
            case ServiceReferred e: form.Choice = e.Service.ToString(); break;
            case ServiceRefused e: form.Choice = e.Service.ToString(); break;
            case ServiceUnavailable e: form.Choice = e.Service.ToString(); break;
            case ReparationOrdered e: form.Choice = e.Reparation.ToString(); break;
            case VerdictDelivered e: (form.Choice, form.ConvictedOf) = (e.Outcome.ToString(), e.ConvictedOf); break;
            case AppealDecided e: form.Choice = e.Outcome.ToString(); break;
            case ServiceStarted e: form.Choice = e.Service.ToString(); break;
            case ServiceEnded e: form.Choice = e.Service.ToString(); break;
            case ReintegrationOutcomeRecorded e: form.Choice = e.Outcome.ToString(); break;
            case CompensationClaimed e: (form.Choice, form.Amount, form.Currency) = (e.Route.ToString(), e.Claimed?.Amount, e.Claimed?.Currency); break;
            case CompensationAwarded e: (form.Amount, form.Currency) = (e.Amount.Amount, e.Amount.Currency); break;
            case CompensationRejected e: form.Choice = e.Reason.ToString(); break;
            case CompensationPaid e: (form.Amount, form.Currency, form.InFull) = (e.Amount.Amount, e.Amount.Currency, e.InFull); break;
            case EnforcementFailed e: form.Choice = e.Reason.ToString(); break;
            case BarrierRecorded e: (form.Track, form.Stage, form.Category, form.Severity) = (e.BlockedTrack, e.BlockedStage, e.Category, e.Severity); break;
            case BarrierOvercome e: form.Target = e.BarrierId; break;
            case RightAssessed e: (form.Right, form.Respect) = (e.Right, e.Respect); break;
            case LimitationDateRecorded e: (form.Track, form.Expires) = (e.LimitedTrack, e.Expires); break;
            case TrackClosed e: (form.Track, form.Choice) = (e.ClosedTrack, e.Reason?.ToString()); break;
        }

        return form;
    }
}
