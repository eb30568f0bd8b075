using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Dom;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Polls;

/// <summary>A signed-in streamer's browser calling <c>/api/dashboard/polls</c> with the dashboard's antiforgery token.</summary>
public sealed class PollClient(Visitor visitor, string token)
{
    public Visitor Visitor { get; } = visitor;

    /// <summary>Reads the token from the dashboard page (one dashboard request).</summary>
    public static async Task<PollClient> ForAsync(Visitor visitor)
    {
        var page = await visitor.PageAsync("/dashboard");
        var token = ((IHtmlInputElement)page.QuerySelector("[data-testid=config-form] input[name=__RequestVerificationToken]")!).Value;
        return new PollClient(visitor, token);
    }

    /// <summary>A poll body: options "A", "B", … with the default triggers unless given.</summary>
    public static object Body(string question = "Which map?", int options = 3, int? durationSeconds = 60, string rule = "first", int? resultSeconds = 15) =>
        new { question, options = Enumerable.Range(0, options).Select(i => new { label = ((char)('A' + i)).ToString() }), durationSeconds, rule, resultSeconds };

    public Task<(HttpStatusCode Status, JsonElement Body)> StartAsync(object body) => PostAsync("/api/dashboard/polls", JsonSerializer.Serialize(body));

    public Task<(HttpStatusCode Status, JsonElement Body)> StartRawAsync(string json) => PostAsync("/api/dashboard/polls", json);

    public Task<(HttpStatusCode Status, JsonElement Body)> EndAsync(string id) => PostAsync($"/api/dashboard/polls/{id}/end", "{}");

    public Task<(HttpStatusCode Status, JsonElement Body)> CancelAsync(string id) => PostAsync($"/api/dashboard/polls/{id}/cancel", "{}");

    public Task<(HttpStatusCode Status, JsonElement Body)> ShowAsync(string id) => PostAsync($"/api/dashboard/polls/{id}/show", "{}");

    public Task<(HttpStatusCode Status, JsonElement Body)> DismissAsync() => PostAsync("/api/dashboard/polls/dismiss", "{}");

    /// <summary>The <c>poll</c> of <c>GET …/current</c> (Null when none).</summary>
    public async Task<JsonElement> CurrentAsync() =>
        (await Visitor.Http.GetFromJsonAsync<JsonElement>(Visitor.Resolve("/api/dashboard/polls/current"))).GetProperty("poll");

    /// <summary>The <c>polls</c> of <c>GET /api/dashboard/polls</c>.</summary>
    public async Task<JsonElement> ListAsync() =>
        (await Visitor.Http.GetFromJsonAsync<JsonElement>(Visitor.Resolve("/api/dashboard/polls"))).GetProperty("polls");

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Visitor.Resolve(path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("RequestVerificationToken", token);
        using var response = await Visitor.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
