using JusticeTracker.Cases;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Cases.Recording;

namespace JusticeTracker.Tests.Fixtures;

/// <summary>Given-state helpers: they go through the public API, as a user would.</summary>
public static class Scenarios
{
    public static readonly FuzzyDate ExploitationBegan = new(new DateOnly(2024, 3, 1), DatePrecision.Month);

    public static OpenCase NewCase(string country = "KE", string? organisation = "org-ke-1") => new(
        Guid.NewGuid(),
        country,
        organisation,
        ExploitationBegan,
        AgeBand.Age12To14,
        Sex.Female,
        [ExploitationForm.OnlineSexualExploitation],
        YesNoUnknown.Yes,
        YesNoUnknown.No,
        YesNoUnknown.Unknown,
        YesNoUnknown.No);

    public static RecordEntry Entry(long version, CaseEntry details, string date = "2025-01-15", string? note = null) =>
        new(Guid.NewGuid(), version, new FuzzyDate(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), DatePrecision.Day), details, note);

    public static async Task<CaseOpenedResponse> OpenCaseAs(this IAlbaHost host, TestUser user, OpenCase? command = null)
    {
        var result = await host.Scenario(x =>
        {
            x.As(user).Post.Json(command ?? NewCase(organisation: user.Organisation ?? "org-ke-1")).ToUrl("/api/cases");
            x.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<CaseOpenedResponse>())!;
    }

    public static async Task<EntryRecordedResponse> RecordAs(this IAlbaHost host, TestUser user, Guid caseId, RecordEntry command)
    {
        var result = await host.Scenario(x =>
        {
            x.As(user).Post.Json(command).ToUrl($"/api/cases/{caseId}/entries");
            x.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<EntryRecordedResponse>())!;
    }

    /// <summary>Records the entries one after another, each on the version the previous one left.</summary>
    public static async Task<long> RecordAllAs(this IAlbaHost host, TestUser user, Guid caseId, long version, params CaseEntry[] entries)
    {
        foreach (var details in entries)
        {
            version = (await host.RecordAs(user, caseId, Entry(version, details))).Version;
        }

        return version;
    }

    public static Task<CaseSummary> SummaryAs(this IAlbaHost host, TestUser user, Guid caseId) =>
        host.GetAs<CaseSummary>(user, $"/api/cases/{caseId}");

    public static async Task<T> GetAs<T>(this IAlbaHost host, TestUser user, string url)
    {
        var result = await host.Scenario(x =>
        {
            x.As(user).Get.Url(url);
            x.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<T>())!;
    }
}
