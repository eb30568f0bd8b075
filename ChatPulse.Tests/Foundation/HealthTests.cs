using System.Text.Json;
using ChatPulse.Tests.Support;
using Npgsql;

namespace ChatPulse.Tests.Foundation;

[Collection(AppHostCollection.Name)]
public sealed class HealthTests(AppHostFixture fixture)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/health/startup")]
    [InlineData("/version")]
    public async Task Endpoint_answers_200_once_the_apphost_is_healthy(string path)
    {
        using var response = await fixture.Api.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readiness_names_postgres_redis_and_migrations()
    {
        using var document = JsonDocument.Parse(await fixture.Api.GetStringAsync("/health/ready"));

        var checks = document.RootElement.GetProperty("checks");
        foreach (var name in new[] { "postgres", "redis", "migrations" })
        {
            Assert.Equal("Healthy", checks.GetProperty(name).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Version_reports_version_and_commit()
    {
        using var document = JsonDocument.Parse(await fixture.Api.GetStringAsync("/version"));

        Assert.False(string.IsNullOrEmpty(document.RootElement.GetProperty("version").GetString()));
        Assert.False(string.IsNullOrEmpty(document.RootElement.GetProperty("commit").GetString()));
    }

    [Fact]
    public async Task Migration_history_holds_every_applied_script()
    {
        var expected = typeof(ChatPulse.Api.Infrastructure.Database.MigrationRunner).Assembly
            .GetManifestResourceNames()
            .Where(name => name.Contains(".Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order()
            .ToArray();

        await using var connection = new NpgsqlConnection(fixture.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT scriptname FROM schema_migrations ORDER BY scriptname", connection);
        var applied = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                applied.Add(reader.GetString(0));
            }
        }

        Assert.NotEmpty(expected);
        Assert.Equal(expected, applied);
    }
}
