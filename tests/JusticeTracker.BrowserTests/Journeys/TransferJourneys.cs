using JusticeTracker.BrowserTests.Fixtures;

namespace JusticeTracker.BrowserTests.Journeys;

/// <summary>A lawyer asks another organisation to take a case over; a lawyer there accepts it, and the sender can no longer open it.</summary>
public sealed class TransferJourneys(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_case_moves_to_Uganda_on_request_and_acceptance()
    {
        CaseRef moved;
        await using (var sender = await Fixture.VisitAsync("demo-lawyer-ke-1"))
        {
            var page = sender.Page;
            moved = await sender.OpenCaseAsync();
            await page.Locator("a[href$='/transfer']").ClickAsync();
            await sender.WaitForPathAsync($"{moved.Path}/transfer");
            await page.SelectOptionAsync("#to", "org-ug-1");
            await page.ChooseAsync("Form.Reason", "ChildMoved");
            await page.ChooseAsync("Form.Basis", "ChildAndGuardian");
            await sender.ShotAsync("transfer-form");
            await sender.SubmitAsync(page.Locator("form.case-form button[type='submit']"), expectRedirect: true);
            await sender.WaitForPathAsync(moved.Path);
            await Expect(page.Locator("p.notice")).ToContainTextAsync("it stays with you until");
            await Expect(page.Locator("section[aria-labelledby='transfers'] p.warning")).ToContainTextAsync("waiting for their answer");
            await sender.ShotAsync("transfer-waiting");
        }

        await using (var receiver = await Fixture.VisitAsync("demo-lawyer-ug-1"))
        {
            var page = receiver.Page;

            // Before accepting, the receiver sees the request, never the case.
            await receiver.GoToAsync(moved.Path, status: 404);
            await receiver.GoToAsync("/transfers");
            var row = page.Locator("section[aria-labelledby='incoming'] tbody tr").Filter(new() { HasText = moved.Reference });
            await Expect(row).ToContainTextAsync("Demo Child Justice Centre (Kenya)");
            await receiver.ShotAsync("transfers-incoming");
            await receiver.ShotAsync("transfers-incoming-narrow", Visit.NarrowWidth);
            await receiver.SubmitAsync(row.Locator("button[value='Accept']"), expectRedirect: true);
            await receiver.WaitForPathAsync(moved.Path);
            await Expect(page.Locator("p.notice")).ToContainTextAsync("is now your organisation's");
            await Expect(page.Locator("section[aria-labelledby='transfers'] li")).ToContainTextAsync("accepted");
            await receiver.ShotAsync("case-received");
        }

        await using (var sender = await Fixture.VisitAsync("demo-lawyer-ke-1"))
        {
            await sender.GoToAsync(moved.Path, status: 404);
        }

        // The journeys share the demo data, whose figures others count: the test case goes again.
        await using var expert = await Fixture.VisitAsync("demo-legal-expert");
        await expert.EraseAsync(moved);
    }
}
