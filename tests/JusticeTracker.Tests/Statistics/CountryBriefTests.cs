using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using JusticeTracker.Cases;
using JusticeTracker.Demo;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static JusticeTracker.Tests.Fixtures.Scenarios;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;

namespace JusticeTracker.Tests.Statistics;

/// <summary>
/// The country brief, opened the way Word would: a valid document whose every figure is the JSON
/// report's for the same filter and date, withheld where the report withholds, that names no user
/// and gives the same figures again from its permalink after more cases are recorded.
/// </summary>
public sealed class CountryBriefTests(AppFixture fixture, ITestOutputHelper output) : AppTest(fixture)
{
    /// <summary>Eastern Africa (014) holds Kenya and Uganda: enough cases for a report, few enough that some cells are withheld.</summary>
    private const string Region = "014";

    private async Task SeedAsync()
    {
        // Cases from the demo generator, recorded over the years before today, in the two countries.
        var now = Fixture.Clock.GetUtcNow();
        var generator = new DemoCaseGenerator(7, Host.Services.GetRequiredService<PersonalDataCheck>(), now.AddMonths(-2));
        var wanted = new Dictionary<string, int> { ["KE"] = 40, ["UG"] = 14 };
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.LightweightSession();
        foreach (var (id, events) in generator.Generate(600))
        {
            var country = ((CaseOpened)events[0]).Profile.Country;
            if (wanted.GetValueOrDefault(country) > 0)
            {
                wanted[country]--;
                session.Events.StartStream<Case>(id, events);
            }
        }

        Assert.All(wanted, w => Assert.Equal(0, w.Value));
        await session.SaveChangesAsync();
        await Fixture.CatchUpAsync();
    }

    /// <summary>A brief asked for without a date is sent to the address of one: the end of last month.</summary>
    private async Task<string> DatedAsync(string query)
    {
        var redirect = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url($"/api/statistics/brief.docx{query}");
            x.StatusCodeShouldBe(302);
        });
        var location = redirect.Context.Response.Headers.Location.ToString();
        var today = DateOnly.FromDateTime(Fixture.Clock.GetUtcNow().UtcDateTime);
        var lastMonthEnd = new DateOnly(today.Year, today.Month, 1).AddDays(-1);
        Assert.StartsWith("/api/statistics/brief.docx?", location, StringComparison.Ordinal);
        Assert.Contains($"asOf={lastMonthEnd:yyyy-MM-dd}", location, StringComparison.Ordinal);
        return location;
    }

    private async Task<(string Url, byte[] Docx)> BriefAsync(string query)
    {
        var location = await DatedAsync(query);
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url(location);
            x.StatusCodeShouldBeOk();
            x.ContentTypeShouldBe(CountryBrief.ContentType);
        });
        using var body = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(body);
        return (location, body.ToArray());
    }

    /// <summary>Each Word table as rows of cell texts.</summary>
    private static List<List<string[]>> Tables(WordprocessingDocument document) =>
        [.. document.MainDocumentPart!.Document!.Body!.Elements<Table>()
            .Select(t => t.Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToArray()).ToList())];

    [Fact]
    public async Task the_brief_is_valid_word_and_every_figure_equals_the_report_for_the_same_filter_and_date()
    {
        await SeedAsync();
        var (url, docx) = await BriefAsync($"?place={Region}");
        var asOf = url[(url.IndexOf("asOf=", StringComparison.Ordinal) + 5)..][..10];
        var report = await Host.GetAs<Report>(TestUser.Analyst, $"/api/statistics?place={Region}&asOf={asOf}");
        Assert.Null(report.Refusal);

        using var document = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(document).ToList();
        foreach (var error in errors.Take(20))
        {
            output.WriteLine($"{error.Path?.XPath}: {error.Description}");
        }

        Assert.Empty(errors);

        // The tables, in the brief's order, hold exactly the report's labels and figures.
        var expected = CountryBrief.Sections.SelectMany(s => s.Tables).Select(report.Table).OfType<ReportTable>().ToList();
        var tables = Tables(document);
        Assert.Equal(expected.Count, tables.Count);
        var withheld = 0;
        for (var t = 0; t < expected.Count; t++)
        {
            var (table, word) = (expected[t], tables[t]);
            Assert.Equal(table.Rows.Count + 1, word.Count);
            Assert.Equal(table.Columns.Count + 1, word[0].Length);
            for (var r = 0; r < table.Rows.Count; r++)
            {
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    var cell = table.Rows[r].Cells[c];
                    Assert.Equal(cell.Value is { } v ? v.ToString("#,0.##", CultureInfo.GetCultureInfo("en")) : "withheld", word[r + 1][c + 1]);
                    withheld += cell.Value is null ? 1 : 0;
                }
            }
        }

        Assert.True(withheld > 0, "the filter has withheld cells, and the brief shows them withheld");
        Assert.Equal(report.Tables.Count, expected.Count);

        // A chart for each table the page draws, as an image with a description, before its table.
        var charts = expected.Count(t => Charts.All.Any(c => c.Table == t.Id));
        var images = document.MainDocumentPart!.Document!.Body!.Descendants<DW.DocProperties>().ToList();
        Assert.Equal(charts, images.Count);
        Assert.All(images, i => Assert.False(string.IsNullOrWhiteSpace(i.Description)));
        foreach (var part in document.MainDocumentPart.ImageParts)
        {
            using var png = part.GetStream();
            var header = new byte[24];
            png.ReadExactly(header);
            Assert.Equal("\x89PNG", System.Text.Encoding.Latin1.GetString(header, 0, 4));
            Assert.Equal(760 * 2, BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(16)));
        }

        // The text: the place, the date, the method, the references, the permalink.
        var text = document.MainDocumentPart.Document.Body.InnerText;
        Assert.Contains("Eastern Africa", text, StringComparison.Ordinal);
        Assert.Contains(DateOnly.ParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en")), text, StringComparison.Ordinal);
        Assert.Contains("16.2", text, StringComparison.Ordinal);
        Assert.Contains("article 9(4)", text, StringComparison.Ordinal);
        Assert.Contains($"/statistics?place={Region}&asOf={asOf}", text, StringComparison.Ordinal);

        // No user's name or id anywhere in the package: properties, parts, anything.
        Assert.Equal("JusticeTracker", document.PackageProperties.Creator);
        Assert.Equal("JusticeTracker", document.PackageProperties.LastModifiedBy);
        using var zip = new ZipArchive(new MemoryStream(docx));
        foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith(".png", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(entry.Open());
            Assert.DoesNotContain(TestUser.Analyst.Id, await reader.ReadToEndAsync(), StringComparison.OrdinalIgnoreCase);
        }

        // The permalink gives the same figures again, after more cases are recorded today.
        for (var i = 0; i < 12; i++)
        {
            await Host.OpenCaseAs(TestUser.KenyanLawyer);
        }

        await Fixture.CatchUpAsync();
        var again = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url(url);
            x.StatusCodeShouldBeOk();
        });
        using var body = new MemoryStream();
        await again.Context.Response.Body.CopyToAsync(body);
        using var second = WordprocessingDocument.Open(new MemoryStream(body.ToArray()), false);
        Assert.Equal(tables.SelectMany(t => t.SelectMany(r => r)), Tables(second).SelectMany(t => t.SelectMany(r => r)));
        var today = await Host.GetAs<Report>(TestUser.Analyst, $"/api/statistics?place={Region}");
        Assert.NotEqual(report.Cases.Value, today.Cases.Value);
    }

    [Fact]
    public async Task a_brief_is_written_in_the_language_asked_for_and_a_filter_too_narrow_gets_no_brief()
    {
        await SeedAsync();
        var (_, docx) = await BriefAsync($"?place={Region}&culture=fr");
        using var document = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var headings = document.MainDocumentPart!.Document!.Body!.Elements<Paragraph>()
            .Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading1").Select(p => p.InnerText).ToList();
        Assert.Equal("Comment les chiffres sont comptés", headings[0]);
        Assert.Contains("Indemnisation", headings);
        Assert.StartsWith("Note sur l'accès à la justice : Afrique de l", document.PackageProperties.Title, StringComparison.Ordinal);

        // Thailand has no case: no figure, so no brief, and a reason.
        var thailand = await DatedAsync("?place=TH");
        var refused = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url(thailand);
            x.StatusCodeShouldBe(422);
        });
        Assert.Contains("too narrow", await refused.ReadAsTextAsync(), StringComparison.Ordinal);

        // From the page: the same brief, and for a filter too narrow the page says why instead.
        var analyst = new BrowserSession(Host);
        await analyst.SignInAs("demo-analyst");
        var dated = (await analyst.Get($"/statistics?handler=Brief&place={Region}&culture=es", status: 302)).Context.Response.Headers.Location.ToString();
        Assert.Matches("^/statistics[?]handler=Brief&place=014&culture=es&asOf=[0-9-]{10}$", dated);
        var file = await analyst.Get(dated);
        Assert.Equal(CountryBrief.ContentType, file.Context.Response.ContentType);
        var narrow = (await analyst.Get("/statistics?handler=Brief&place=TH", status: 302)).Context.Response.Headers.Location.ToString();
        var page = await (await analyst.Get(narrow)).ReadAsTextAsync();
        Assert.Contains("No brief was written: these filters are too narrow", page, StringComparison.Ordinal);

        // Member lawyers get no brief.
        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Get.Url($"/api/statistics/brief.docx?place={Region}");
            x.StatusCodeShouldBe(403);
        });
    }

    [Fact]
    public async Task a_chart_is_served_as_png_drawn_from_the_same_svg()
    {
        await SeedAsync();
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url($"/api/statistics/barriers.png?place={Region}");
            x.StatusCodeShouldBeOk();
            x.ContentTypeShouldBe("image/png");
        });
        using var body = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(body);
        var png = body.ToArray();
        Assert.Equal("\x89PNG", System.Text.Encoding.Latin1.GetString(png, 0, 4));
        var svg = await (await Host.Scenario(x => x.As(TestUser.Analyst).Get.Url($"/api/statistics/barriers.svg?place={Region}"))).ReadAsTextAsync();
        var height = int.Parse(svg.Split(" height=\"")[1].Split('"')[0], CultureInfo.InvariantCulture);
        Assert.Equal((760 * 2, height * 2), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
    }

    [Fact]
    public async Task the_open_data_release_holds_every_table_in_codes_with_the_reports_figures_and_a_dictionary()
    {
        await SeedAsync();

        // A release covers one year: without one, the answer names the year field.
        var noYear = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url($"/api/statistics/open-data.zip?place={Region}");
            x.StatusCodeShouldBe(400);
        });
        Assert.Contains("\"year\"", await noYear.ReadAsTextAsync(), StringComparison.Ordinal);

        var years = (await Host.GetAs<Report>(TestUser.Analyst, $"/api/statistics?place={Region}")).Table("years")!;
        var year = years.Rows.Where(r => r.Cells[0].Value is not null).MaxBy(r => r.Cells[0].Value)!.Label;
        var redirect = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url($"/api/statistics/open-data.zip?place={Region}&year={year}");
            x.StatusCodeShouldBe(302);
        });
        var url = redirect.Context.Response.Headers.Location.ToString();
        var asOf = url[(url.IndexOf("asOf=", StringComparison.Ordinal) + 5)..][..10];
        var report = await Host.GetAs<Report>(TestUser.Analyst, $"/api/statistics?place={Region}&year={year}&asOf={asOf}");
        Assert.Null(report.Refusal);
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url(url);
            x.StatusCodeShouldBeOk();
            x.ContentTypeShouldBe(OpenData.ContentType);
        });
        using var body = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(body);
        using var zip = new ZipArchive(new MemoryStream(body.ToArray()));

        Assert.Equal([.. report.Tables.Select(t => $"{t.Id}.csv"), "data_dictionary.csv", "README.txt"], zip.Entries.Select(e => e.FullName));
        var withheld = 0;
        foreach (var table in report.Tables)
        {
            using var reader = new StreamReader(zip.GetEntry($"{table.Id}.csv")!.Open());
            var lines = (await reader.ReadToEndAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
            var header = lines[0];
            Assert.Equal(["place", "hte_Country", "yearOfRegistration", "prs_Gender", "ageBand", "exploitationForm", "vic_TypeOfSexExploitation", "profileFact", "countedBy", "asOf"], header[..10]);
            Assert.Equal(table.Rows.Count + 1, lines.Count);
            for (var r = 0; r < table.Rows.Count; r++)
            {
                var row = lines[r + 1];
                Assert.Equal([Region, "", year, "", "", "", "", "", "opened", asOf], row[..10]);
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    var cell = table.Rows[r].Cells[c];
                    var (value, status) = (row[^(2 * (table.Columns.Count - c))], row[^(2 * (table.Columns.Count - c) - 1)]);
                    Assert.Equal(cell.Value is { } v ? (v.ToString("0.##", CultureInfo.InvariantCulture), "published") : ("", "withheld"), (value, status));
                    withheld += cell.Value is null ? 1 : 0;
                }
            }
        }

        Assert.True(withheld > 0, "the filter has withheld cells, and the release leaves them empty with their status");
        using var dictionary = new StreamReader(zip.GetEntry("data_dictionary.csv")!.Open());
        var entries = await dictionary.ReadToEndAsync();
        Assert.Contains("barriers.csv,cases_status,", entries, StringComparison.Ordinal);
        Assert.Contains("prs_Gender", entries, StringComparison.Ordinal);

        // The same address gives the same bytes: the release is reproducible.
        var again = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url(url);
            x.StatusCodeShouldBeOk();
        });
        using var second = new MemoryStream();
        await again.Context.Response.Body.CopyToAsync(second);
        Assert.Equal(body.ToArray(), second.ToArray());
    }
}
