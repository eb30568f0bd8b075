using YamlDotNet.RepresentationModel;

namespace ChatPulse.Tests.Deployment.Support;

/// <summary>
/// "Every setting of the guide is there": each key of the guide's object is in the actual one with the same value; a
/// guide list item must be matched by some actual item (extra keys and items are allowed).
/// </summary>
public static class Coverage
{
    /// <summary>The first setting of <paramref name="guide"/> missing from <paramref name="actual"/>, or null.</summary>
    public static string? FirstMissing(Node guide, Node actual, IReadOnlyCollection<string> ignoredPaths, string path = "")
    {
        if (ignoredPaths.Contains(path))
        {
            return null;
        }

        switch (guide.Raw)
        {
            case YamlScalarNode scalar:
                return actual.Raw is YamlScalarNode other && other.Value == scalar.Value
                    ? null
                    : $"{path}: expected `{scalar.Value}`, found `{Describe(actual.Raw)}`";
            case YamlMappingNode map:
                if (actual.Raw is not YamlMappingNode actualMap)
                {
                    return $"{path}: expected a mapping, found `{Describe(actual.Raw)}`";
                }

                foreach (var (key, value) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value!;
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    if (!actualMap.Children.TryGetValue(key, out var actualValue))
                    {
                        if (!ignoredPaths.Contains(childPath))
                        {
                            return $"{childPath}: missing";
                        }

                        continue;
                    }

                    if (FirstMissing(new Node(value), new Node(actualValue), ignoredPaths, childPath) is { } missing)
                    {
                        return missing;
                    }
                }

                return null;
            case YamlSequenceNode sequence:
                if (actual.Raw is not YamlSequenceNode actualSequence)
                {
                    return $"{path}: expected a list, found `{Describe(actual.Raw)}`";
                }

                foreach (var item in sequence.Children)
                {
                    var itemPath = $"{path}[]";
                    var misses = actualSequence.Children
                        .Select(candidate => FirstMissing(new Node(item), new Node(candidate), ignoredPaths, itemPath))
                        .ToList();
                    if (!misses.Contains(null))
                    {
                        return misses.FirstOrDefault() ?? $"{itemPath}: list is empty";
                    }
                }

                return null;
            default:
                return $"{path}: unexpected node";
        }
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "null",
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ => "?",
    };
}
