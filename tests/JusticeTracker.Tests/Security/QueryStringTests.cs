using JusticeTracker.Tests.Fixtures;

namespace JusticeTracker.Tests.Security;

public sealed class QueryStringTests(AppFixture fixture) : AppTest(fixture)
{
    [Theory]
    [InlineData("/api/cases?page=abc", "page")]
    [InlineData("/api/cases?pageSize=1e9", "pageSize")]
    [InlineData("/api/follow-ups?page=2.5", "page")]
    public async Task a_query_value_that_is_not_a_number_is_refused_and_named(string url, string parameter)
    {
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Get.Url(url);
            x.StatusCodeShouldBe(400);
        });

        Assert.Contains(parameter, await result.ReadAsTextAsync(), StringComparison.Ordinal);
    }
}
