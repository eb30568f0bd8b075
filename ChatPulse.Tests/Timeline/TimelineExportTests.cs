using System.Net.Http.Json;
using System.Text.Json;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Timeline;

/// <summary><c>GET /api/dashboard/timeline</c> on the shared replica: CSV and JSON of a recorded stream, bad parameters, other streamers.</summary>
[Collection(AppHostCollection.Name)]
public sealed class TimelineExportTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;

    public async Task InitializeAsync() => _replica = await ApiInstance.SharedAsync(fixture);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_csv_export_has_one_line_per_point_and_names_the_file_after_the_streamer_and_the_start()
    {
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "csv");
        using var _ = visitor;
        var recorded = await TimelineStreams.RecordAsync(fixture, streamer.Id);

        using var response = await visitor.GetAsync($"/api/dashboard/timeline?stream={recorded.LatestId}&format=csv");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"chatpulse-timeline-{streamer.Login}-{recorded.Latest:yyyyMMdd-HHmm}.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        string T(int seconds) => recorded.Latest.AddSeconds(seconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
        Assert.Equal(
            "time,for,against,ratio,votes,votes_per_second\n"
            + $"{T(0)},1,0,1,10,1\n{T(10)},1,1,0.5,5,0.5\n{T(20)},1,3,0.25,2,0.2\n{T(30)},3,1,0.75,4,0.4\n{T(40)},0,0,0.5,1,0.1\n",
            body);
    }

    [Fact]
    public async Task The_json_export_of_the_latest_stream_has_the_stream_its_points_and_its_polls()
    {
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "json");
        using var _ = visitor;
        var recorded = await TimelineStreams.RecordAsync(fixture, streamer.Id);

        using var response = await visitor.GetAsync("/api/dashboard/timeline?format=json"); // no stream: the latest
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"filename=\"chatpulse-timeline-{streamer.Login}-{recorded.Latest:yyyyMMdd-HHmm}.json\"", response.Content.Headers.ContentDisposition?.ToString());
        var stream = json.GetProperty("stream");
        Assert.Equal(recorded.LatestId, stream.GetProperty("id").GetInt64());
        Assert.Equal((5, 22), (stream.GetProperty("points").GetInt32(), stream.GetProperty("votes").GetInt64()));
        var points = json.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(5, points.Count);
        Assert.Equal(recorded.Latest.AddSeconds(20), points[2].GetProperty("time").GetDateTimeOffset());
        Assert.Equal((1, 3, 0.25, 2, 0.2), (points[2].GetProperty("for").GetInt64(), points[2].GetProperty("against").GetInt64(),
            points[2].GetProperty("ratio").GetDouble(), points[2].GetProperty("votes").GetInt32(), points[2].GetProperty("votesPerSecond").GetDouble()));
        var poll = Assert.Single(json.GetProperty("polls").EnumerateArray());
        Assert.Equal((recorded.PollId, TimelineStreams.Question, "ended"), (poll.GetProperty("id").GetGuid(), poll.GetProperty("question").GetString(), poll.GetProperty("status").GetString()));
        Assert.Equal(["Yes"], poll.GetProperty("winners").EnumerateArray().Select(w => w.GetString()));
    }

    [Theory]
    [InlineData("?format=xml", "format")]
    [InlineData("?stream=yesterday&format=csv", "stream")]
    [InlineData("?stream=-5&format=json", "stream")]
    public async Task Bad_parameters_get_a_400_problem_naming_the_parameter(string query, string parameter)
    {
        var (visitor, _) = await TwitchLogin.SignInNewStreamerAsync(_replica, "badexport");
        using var __ = visitor;

        using var response = await visitor.GetAsync($"/api/dashboard/timeline{query}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.GetRawText());
    }

    [Fact]
    public async Task Another_streamers_stream_is_not_found_and_without_a_session_nothing_is_exported()
    {
        var (mine, me) = await TwitchLogin.SignInNewStreamerAsync(_replica, "ownexport");
        var (theirs, _) = await TwitchLogin.SignInNewStreamerAsync(_replica, "otherexport");
        using var __ = mine;
        using var ___ = theirs;
        var recorded = await TimelineStreams.RecordAsync(fixture, me.Id);
        using var anonymous = _replica.NewVisitor();

        using var asked = await theirs.GetAsync($"/api/dashboard/timeline?stream={recorded.LatestId}&format=json");
        using var latest = await theirs.GetAsync("/api/dashboard/timeline?format=csv");
        using var signedOut = await anonymous.GetAsync($"/api/dashboard/timeline?stream={recorded.LatestId}&format=csv");

        Assert.Equal(HttpStatusCode.NotFound, asked.StatusCode);
        Assert.Equal("application/problem+json", asked.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, latest.StatusCode); // they have no stream of their own
        Assert.Equal(HttpStatusCode.Unauthorized, signedOut.StatusCode);
    }
}
