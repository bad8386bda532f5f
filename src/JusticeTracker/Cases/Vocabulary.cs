using System.Text.Json.Serialization;

namespace JusticeTracker.Cases;

// The codes below are stable: they are stored in events and used in reports. Labels are
// translated in the front end, so an enum member is never renamed, only added.

[JsonConverter(typeof(JsonStringEnumConverter<Track>))]
public enum Track { CriminalJustice, Recovery, Compensation }

[JsonConverter(typeof(JsonStringEnumConverter<TrackStatus>))]
public enum TrackStatus { NotStarted, Open, Closed }

[JsonConverter(typeof(JsonStringEnumConverter<CaseStatus>))]
public enum CaseStatus { Open, Closed }

/// <summary>
/// Every milestone of every track, in the order a case usually moves through them. The order
/// ranks how far a track has come; it is not enforced, because legal systems differ.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Stage>))]
public enum Stage
{
    // Criminal justice
    Reported = 100,
    InvestigationOpened = 110,
    JoinedProceedings = 115,
    SuspectIdentified = 120,
    SuspectArrested = 130,
    ProsecutionDeclined = 140,
    ChargesFiled = 141,
    PleaEntered = 145,
    TrialOpened = 150,
    TestimonyGiven = 160,
    Verdict = 170,
    Sentenced = 180,
    AppealFiled = 190,
    AppealDecided = 200,

    // Recovery and reintegration
    NeedsAssessed = 300,
    ServiceReferred = 305,
    ServiceStarted = 310,
    CarePlanAgreed = 320,
    ServiceEnded = 330,
    ReintegrationOutcome = 340,

    // Compensation
    InformedOfRight = 500,
    ClaimFiled = 510,
    ClaimDecided = 520,
    PaymentReceived = 530,
    EnforcementFailed = 540,
}

public static class Stages
{
    public static Track TrackOf(this Stage stage) => (int)stage switch
    {
        < 300 => Track.CriminalJustice,
        < 500 => Track.Recovery,
        _ => Track.Compensation,
    };
}

[JsonConverter(typeof(JsonStringEnumConverter<DatePrecision>))]
public enum DatePrecision { Day, Month, Year }

[JsonConverter(typeof(JsonStringEnumConverter<AgeBand>))]
public enum AgeBand
{
    [JsonStringEnumMemberName("0-5")] Age0To5,
    [JsonStringEnumMemberName("6-11")] Age6To11,
    [JsonStringEnumMemberName("12-14")] Age12To14,
    [JsonStringEnumMemberName("15-17")] Age15To17,
}

[JsonConverter(typeof(JsonStringEnumConverter<Sex>))]
public enum Sex { Female, Male, OtherOrUndisclosed }

[JsonConverter(typeof(JsonStringEnumConverter<ExploitationForm>))]
public enum ExploitationForm
{
    Prostitution,
    SexualAbuseMaterial,
    OnlineSexualExploitation,
    Trafficking,
    ChildMarriage,
    TravelAndTourism,
}

[JsonConverter(typeof(JsonStringEnumConverter<YesNoUnknown>))]
public enum YesNoUnknown { Yes, No, Unknown }

[JsonConverter(typeof(JsonStringEnumConverter<ReportChannel>))]
public enum ReportChannel
{
    Police,
    Prosecutor,
    HotlineReferral,

    /// <summary>An online platform's report, passed on to the authorities (for example through a national centre).</summary>
    PlatformReferral,

    /// <summary>Found by the authorities themselves: proactive police work, an inspection, an online investigation.</summary>
    ProactiveDetection,
}

[JsonConverter(typeof(JsonStringEnumConverter<DeclineReason>))]
public enum DeclineReason
{
    InsufficientEvidence,
    SuspectNotIdentified,
    ComplaintWithdrawn,
    LegalFramework,
    Other,

    /// <summary>The prosecutor diverted the offender from trial (a conditional stay, an alternative measure).</summary>
    Diversion,

    /// <summary>The case was sent to penal mediation or another out-of-court settlement instead of prosecution.</summary>
    Mediation,
}

/// <summary>
/// How the child took part in the criminal proceedings as a party, where the law allows it: a
/// civil party claiming damages (<i>partie civile</i>, <i>actor civil</i>), a private or
/// auxiliary prosecutor (<i>querellante</i>), or with their own lawyer following the case
/// (a watching brief, a victim's advocate).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PartyRole>))]
public enum PartyRole { CivilParty, PrivateProsecutor, OwnLawyer }

[JsonConverter(typeof(JsonStringEnumConverter<ChildFriendlyMeasure>))]
public enum ChildFriendlyMeasure
{
    RecordedInterview,
    VideoLinkOrScreen,
    SupportPerson,
    ClosedHearing,
    SpecialisedCourt,
    Intermediary,
}

/// <summary>Where the child was heard before the trial: each is a place where secondary victimisation happens.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HearingSetting>))]
public enum HearingSetting
{
    PoliceInterview,
    ProsecutorInterview,
    InvestigatingJudge,

    /// <summary>A Barnahus or child advocacy centre: one child-friendly place for the interview, the examination and support.</summary>
    ChildAdvocacyCentre,

    PreTrialHearing,
}

/// <summary>What linked cases share: the same offender (tried or not together), or the same trial.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProceedingLink>))]
public enum ProceedingLink { SameOffender, SameTrial }

/// <summary>Reparation other than money, as courts and schemes order it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReparationKind>))]
public enum ReparationKind { Apology, Rehabilitation, Education, RestitutionOfProperty, GuaranteeOfNonRepetition, Other }

[JsonConverter(typeof(JsonStringEnumConverter<VerdictOutcome>))]
public enum VerdictOutcome { Convicted, PartlyConvicted, Acquitted, Dismissed }

[JsonConverter(typeof(JsonStringEnumConverter<AppealOutcome>))]
public enum AppealOutcome { Upheld, Overturned, Varied }

[JsonConverter(typeof(JsonStringEnumConverter<Plea>))]
public enum Plea { Guilty, NotGuilty, PleaAgreement, NoPlea }

/// <summary>
/// The offence an offender was convicted of, in a short list aligned with the International
/// Classification of Crime for Statistical Purposes (ICCS, UNODC 2015): the code in each comment.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Offence>))]
public enum Offence
{
    /// <summary>ICCS 03011: rape.</summary>
    Rape,

    /// <summary>ICCS 03012: sexual assault.</summary>
    SexualAssault,

    /// <summary>ICCS 030221: sexual exploitation of children, in prostitution among others.</summary>
    SexualExploitation,

    /// <summary>ICCS 030222: child sexual abuse material (child pornography in the ICCS).</summary>
    AbuseMaterial,

    /// <summary>ICCS 030229: other sexual exploitation of children, such as online solicitation (grooming).</summary>
    OnlineSolicitation,

    /// <summary>ICCS 020221: trafficking in persons for sexual exploitation.</summary>
    Trafficking,

    /// <summary>ICCS 02029: forced marriage, among other acts against liberty.</summary>
    ForcedMarriage,

    /// <summary>Another offence.</summary>
    Other,
}

[JsonConverter(typeof(JsonStringEnumConverter<SentenceType>))]
public enum SentenceType { Imprisonment, SuspendedImprisonment, Fine, CommunityOrder, Other }

/// <summary>The length of a prison term, in bands: a sentence's exact length could single out a case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SentenceLength>))]
public enum SentenceLength { UnderOneYear, OneToFiveYears, FiveToTenYears, TenYearsOrMore, Life }

/// <summary>Who appealed: the defence, the prosecution, or the child (as a civil party or victim, where the law allows).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Appellant>))]
public enum Appellant { Defence, Prosecution, Child }

[JsonConverter(typeof(JsonStringEnumConverter<CriminalClosureReason>))]
public enum CriminalClosureReason
{
    ProceedingsCompleted,
    WithdrawnByFamily,
    SettledOutOfCourt,
    InsufficientEvidence,
    SuspectNotIdentified,
    SuspectAbroad,
    StatuteOfLimitations,
    Other,
}

[JsonConverter(typeof(JsonStringEnumConverter<RecoveryService>))]
public enum RecoveryService
{
    EmergencyShelter,
    MedicalCare,
    PsychosocialSupport,
    LegalAid,
    Education,
    VocationalTraining,
    FamilyTracing,
    AlternativeCare,
    Repatriation,
    FinancialSupport,
}

[JsonConverter(typeof(JsonStringEnumConverter<ReintegrationResult>))]
public enum ReintegrationResult { WithFamilyOrCommunity, AlternativeCare, IndependentLiving, LostContact, Other }

[JsonConverter(typeof(JsonStringEnumConverter<ClaimRoute>))]
public enum ClaimRoute { CriminalRestitution, CivilClaim, StateFund, Other }

[JsonConverter(typeof(JsonStringEnumConverter<ClaimRejectionReason>))]
public enum ClaimRejectionReason { NotEligible, InsufficientEvidence, TimeLimitExpired, NoConviction, Other }

[JsonConverter(typeof(JsonStringEnumConverter<EnforcementFailure>))]
public enum EnforcementFailure { OffenderInsolvent, AssetsAbroad, FundExhausted }

// The API and the stored events use the taxonomy codes of the brief, e.g. REPORTING_FEAR.
[JsonConverter(typeof(JsonStringEnumConverter<BarrierCategory>))]
public enum BarrierCategory
{
    [JsonStringEnumMemberName("AWARENESS")] Awareness,
    [JsonStringEnumMemberName("IDENTIFICATION")] Identification,
    [JsonStringEnumMemberName("REPORTING_FEAR")] ReportingFear,
    [JsonStringEnumMemberName("FAMILY_PRESSURE")] FamilyPressure,
    [JsonStringEnumMemberName("COST")] Cost,
    [JsonStringEnumMemberName("LEGAL_AID")] LegalAid,
    [JsonStringEnumMemberName("INFORMATION")] Information,
    [JsonStringEnumMemberName("RETRAUMATISATION")] Retraumatisation,
    [JsonStringEnumMemberName("DELAY")] Delay,
    [JsonStringEnumMemberName("EVIDENCE")] Evidence,
    [JsonStringEnumMemberName("CAPACITY")] Capacity,
    [JsonStringEnumMemberName("CORRUPTION")] Corruption,
    [JsonStringEnumMemberName("SETTLEMENT")] Settlement,
    [JsonStringEnumMemberName("LEGAL_FRAMEWORK")] LegalFramework,
    [JsonStringEnumMemberName("JURISDICTION")] Jurisdiction,
    [JsonStringEnumMemberName("MIGRATION_STATUS")] MigrationStatus,
    [JsonStringEnumMemberName("NO_COMPENSATION_SCHEME")] NoCompensationScheme,
    [JsonStringEnumMemberName("ENFORCEMENT")] Enforcement,
    [JsonStringEnumMemberName("SERVICES_UNAVAILABLE")] ServicesUnavailable,
    [JsonStringEnumMemberName("OTHER")] Other,
}

[JsonConverter(typeof(JsonStringEnumConverter<BarrierSeverity>))]
public enum BarrierSeverity { Delayed, Blocked }

/// <summary>The rights in the UN Guidelines on Justice in Matters involving Child Victims and Witnesses of Crime (2005).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChildRight>))]
public enum ChildRight
{
    DignityAndCompassion,
    ProtectionFromDiscrimination,
    Information,
    BeingHeard,
    EffectiveAssistance,
    Privacy,
    ProtectionFromHardship,
    Safety,
    Reparation,
    SpecialPreventiveMeasures,
}

[JsonConverter(typeof(JsonStringEnumConverter<RightRespect>))]
public enum RightRespect { Respected, PartlyRespected, NotRespected }

[JsonConverter(typeof(JsonStringEnumConverter<UserRole>))]
public enum UserRole { LegalExpert, MemberLawyer, Analyst, Administrator }
