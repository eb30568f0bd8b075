using System.Text;
using System.Text.RegularExpressions;

namespace ChatPulse.Tests.Foundation;

/// <summary>
/// The relative links of Markdown files and whether they resolve: the target file (or folder) exists, and a
/// <c>#anchor</c> names a heading of the target by GitHub's heading ids.
/// </summary>
public static partial class MarkdownLinks
{
    /// <summary>README.md and every Markdown file under docs/ of <paramref name="root"/>.</summary>
    public static IEnumerable<string> DocumentationFiles(string root)
    {
        var docs = Path.Combine(root, "docs");
        var files = Directory.Exists(docs) ? Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories) : [];
        return files.Prepend(Path.Combine(root, "README.md")).Where(File.Exists).Order(StringComparer.Ordinal);
    }

    /// <summary>One line per link that does not resolve: the file, the link, and what is missing.</summary>
    public static IEnumerable<string> Broken(string root)
    {
        foreach (var file in DocumentationFiles(root))
        {
            foreach (var target in RelativeTargets(File.ReadAllText(file)))
            {
                var problem = Problem(file, target);
                if (problem is not null)
                {
                    yield return $"{Path.GetRelativePath(root, file)}: ({target}) {problem}";
                }
            }
        }
    }

    /// <summary>Link targets that are neither absolute URLs nor inside code.</summary>
    public static IEnumerable<string> RelativeTargets(string markdown) =>
        Link().Matches(InlineCode().Replace(WithoutFences(markdown), ""))
            .Select(m => m.Groups["target"].Value)
            .Where(t => !Scheme().IsMatch(t) && !t.StartsWith("//", StringComparison.Ordinal));

    /// <summary>The ids GitHub gives a file's headings, in order, duplicates numbered <c>-1</c>, <c>-2</c>, ….</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(WithoutFences(markdown)))
        {
            var slug = Slug(heading.Groups["text"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return anchors;
    }

    /// <summary>GitHub's heading id: markup removed, lower-case, punctuation dropped, each space a hyphen.</summary>
    public static string Slug(string heading)
    {
        var text = LinkMarkup().Replace(heading.Trim(), "${text}").ToLowerInvariant();
        var slug = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == ' ')
            {
                slug.Append('-');
            }
            else if (c == '-' || char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is
                     System.Globalization.UnicodeCategory.ConnectorPunctuation or System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                slug.Append(c);
            }
        }

        return slug.ToString();
    }

    private static string? Problem(string file, string target)
    {
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
        var anchor = hash < 0 ? null : Uri.UnescapeDataString(target[(hash + 1)..]);
        var resolved = path.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
        if (!File.Exists(resolved))
        {
            return Directory.Exists(resolved) && anchor is null ? null : "no such file";
        }

        if (anchor is null || !resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Anchors(File.ReadAllText(resolved)).Contains(anchor) ? null : $"no heading #{anchor}";
    }

    // Fenced blocks hold code and diagrams, not links or headings; their lines are blanked, not removed.
    private static string WithoutFences(string markdown)
    {
        var inFence = false;
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal);
            if (fence || inFence)
            {
                lines[i] = "";
            }

            inFence ^= fence;
        }

        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?(?<target>[^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"^ {0,3}#{1,6}[ \t]+(?<text>.*?)(?:[ \t]+#+)?[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkMarkup();
}
