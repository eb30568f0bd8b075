using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Foundation;

/// <summary>
/// README.md and docs/ link each other by relative paths: every link names a file in the repository and every
/// <c>#anchor</c> a heading of its target, so a moved section or a renamed heading cannot leave a dead link.
/// </summary>
public sealed class DocumentationLinkTests
{
    [Fact]
    public void Every_relative_link_in_the_readme_and_docs_resolves()
    {
        var files = MarkdownLinks.DocumentationFiles(RepositoryPaths.Root).ToList();
        var broken = MarkdownLinks.Broken(RepositoryPaths.Root).ToList();

        Assert.Contains(Path.Combine(RepositoryPaths.Root, "README.md"), files);
        Assert.Contains(Path.Combine(RepositoryPaths.Root, "docs", "architecture.md"), files);
        Assert.True(broken.Count == 0, string.Join(Environment.NewLine, broken));
    }

    [Fact]
    public void A_missing_file_or_heading_is_reported_and_code_is_not_read_as_links()
    {
        var root = Directory.CreateTempSubdirectory("chatpulse-links-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "docs"));
            File.WriteAllText(Path.Combine(root, "docs", "guide.md"), "# Guide\n\n## The API's Postgres role\n\n[back](../README.md#top)\n");
            File.WriteAllText(Path.Combine(root, "README.md"), string.Join('\n',
                "# Top",
                "[fine](docs/guide.md#the-apis-postgres-role) [folder](docs) [web](https://example.com/x.md) [self](#top)",
                "[gone](docs/missing.md) [wrong heading](docs/guide.md#the-api-role)",
                "`[in code](docs/missing-too.md)`",
                "```",
                "[in a fence](docs/missing-three.md)",
                "```"));

            var broken = MarkdownLinks.Broken(root).ToList();

            Assert.Equal(
                ["README.md: (docs/guide.md#the-api-role) no heading #the-api-role", "README.md: (docs/missing.md) no such file"],
                broken.Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("3. Create the Secret", "3-create-the-secret")]
    [InlineData("Chat webhook (`POST /webhooks/eventsub`)", "chat-webhook-post-webhookseventsub")]
    [InlineData("The API's Postgres role", "the-apis-postgres-role")]
    [InlineData("Fan-out, coalescing, presence", "fan-out-coalescing-presence")]
    [InlineData("Redis outage: the vote buffer", "redis-outage-the-vote-buffer")]
    [InlineData("Ingress: nginx, AWS ALB or Traefik", "ingress-nginx-aws-alb-or-traefik")]
    [InlineData("See [the guide](docs/x.md) now", "see-the-guide-now")]
    public void Headings_get_githubs_ids(string heading, string id) => Assert.Equal(id, MarkdownLinks.Slug(heading));

    [Fact]
    public void A_repeated_heading_gets_a_numbered_id()
    {
        var anchors = MarkdownLinks.Anchors("# Notes\n\n## Notes\n\n```\n# not a heading\n```\n\n### Notes\n");

        Assert.Equal(["notes", "notes-1", "notes-2"], anchors.Order(StringComparer.Ordinal));
    }
}
