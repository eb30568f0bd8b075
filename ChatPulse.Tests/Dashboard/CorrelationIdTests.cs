using System.Net.Http.Json;
using System.Text.Json;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Dashboard;

[Collection(AppHostCollection.Name)]
public sealed class CorrelationIdTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_well_formed_correlation_id_is_echoed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/version");
        request.Headers.Add("X-Correlation-ID", "test-run.42_A");

        using var response = await fixture.Api.SendAsync(request);

        Assert.Equal("test-run.42_A", Assert.Single(response.Headers.GetValues("X-Correlation-ID")));
    }

    [Theory]
    [InlineData("has spaces in it")]
    [InlineData("<script>")]
    [InlineData("")]
    [InlineData("an-id-that-is-far-too-long-to-be-a-correlation-id-0123456789abcdefghijklmnop")]
    public async Task A_missing_or_malformed_id_is_replaced_by_a_generated_one(string given)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/version");
        request.Headers.TryAddWithoutValidation("X-Correlation-ID", given);

        using var response = await fixture.Api.SendAsync(request);

        var id = Assert.Single(response.Headers.GetValues("X-Correlation-ID"));
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Fact]
    public async Task Api_errors_are_problem_details_carrying_the_correlation_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard/overlays");
        request.Headers.Add("X-Correlation-ID", "problem-check-1");
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await fixture.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("problem-check-1", problem.GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task A_browser_gets_an_html_error_page_for_an_unknown_path()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-page");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        using var response = await fixture.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync());
    }
}
