namespace ChatPulse.Tests.Deployment.Support;

/// <summary>The PrometheusRule CRD's fields (monitoring.coreos.com/v1) and the rules its schema and Prometheus add.</summary>
public static partial class KubernetesSchema
{
    private static IEnumerable<string> Check(PrometheusRule rule)
    {
        if (rule.Spec?.Groups is not { Count: > 0 } groups)
        {
            yield return "spec.groups is required";
            yield break;
        }

        if (groups.Select(g => g.Name).Distinct().Count() != groups.Count || groups.Any(g => string.IsNullOrEmpty(g.Name)))
        {
            yield return "every group needs a unique name";
        }

        foreach (var item in groups.SelectMany(g => g.Rules ?? []))
        {
            if (string.IsNullOrEmpty(item.Alert) == string.IsNullOrEmpty(item.Record))
            {
                yield return "a rule is either an alert or a record";
            }

            if (string.IsNullOrWhiteSpace(item.Expr))
            {
                yield return $"rule {item.Alert ?? item.Record} has no expr";
            }

            if (item.For is { } wait && !PrometheusDuration().IsMatch(wait))
            {
                yield return $"rule {item.Alert}: for '{wait}' is not a Prometheus duration";
            }
        }
    }

    public sealed class PrometheusRule
    {
        public string? ApiVersion { get; set; }
        public string? Kind { get; set; }
        public CrdMetadata? Metadata { get; set; }
        public PrometheusRuleSpec? Spec { get; set; }
    }

    public sealed class PrometheusRuleSpec
    {
        public List<RuleGroup>? Groups { get; set; }
    }

    public sealed class RuleGroup
    {
        public string? Name { get; set; }
        public string? Interval { get; set; }
        public List<Rule>? Rules { get; set; }
    }

    public sealed class Rule
    {
        public string? Alert { get; set; }
        public string? Record { get; set; }
        public string? Expr { get; set; }
        public string? For { get; set; }
        public Dictionary<string, string>? Labels { get; set; }
        public Dictionary<string, string>? Annotations { get; set; }
    }
}
