#if JSON_TRANSCODING
using Google.Api;
using Google.Protobuf.Reflection;
using Sessions.Internal;

namespace Sessions.SampleServer;

/// <summary>
/// What the query of one transcoded route may name, as JSON transcoding reads it: the request's fields (by their proto
/// or lowerCamelCase names, joined by dots into messages) that its path and its body do not set, and nothing at all
/// when the body is the whole request (<c>body: "*"</c>). <see cref="JsonQueryGate"/> refuses the rest.
/// </summary>
internal sealed class JsonRouteQuery
{
    private readonly JsonMessageSchema _schema;
    private readonly Dictionary<FieldDescriptor, string> _setElsewhere = [];
    private readonly bool _readsNone;
    private readonly string _takes;

    /// <summary>Reads what the query of <paramref name="rule"/>'s route may name.</summary>
    /// <param name="method">The method.</param>
    /// <param name="rule">The route's HTTP rule.</param>
    public JsonRouteQuery(MethodDescriptor method, HttpRule rule)
    {
        _schema = JsonMessageSchema.For(method.InputType);
        var inPath = new List<string>();
        foreach (var name in HttpRuleRoute.VariablesOf(HttpRuleRoute.Pattern(rule).Template))
        {
            inPath.Add(name);
            if (method.InputType.FindFieldByName(name.Split('.')[0]) is { } field)
            {
                _setElsewhere[field] = "the path";
            }
        }

        var bodyIsRequest = rule.Body == "*";
        if (rule.Body.Length > 0 && !bodyIsRequest && method.InputType.FindFieldByName(rule.Body) is { } bodyField)
        {
            _setElsewhere[bodyField] = "the body";
        }

        var where = inPath.Count == 0 ? string.Empty : $" ({string.Join(", ", inPath)} {(inPath.Count == 1 ? "is" : "are")} in the path)";
        var queryable = _schema.Fields.Where(field => !_setElsewhere.ContainsKey(field)).Select(static field => field.Name).ToList();
        _readsNone = bodyIsRequest || queryable.Count == 0;
        _takes = bodyIsRequest
            ? $"{method.Name} takes its request as the JSON body, not in the query: send the URL without a query string"
            : queryable.Count == 0
                ? $"{method.Name} takes no query parameters{where}: send the URL without a query string"
                : $"{method.Name} takes the query parameters {string.Join(", ", queryable)}{where}";
        NoBodyMessage = $"{method.Name} takes no body{where}: send the request without one (no Content-Length, or Content-Length: 0).";
    }

    /// <summary>The refusal of a body, for a route that takes none.</summary>
    public string NoBodyMessage { get; }

    /// <summary>What is wrong with a query, in words that say what to send instead.</summary>
    /// <param name="query">The request's query.</param>
    /// <returns>The first problem, or <see langword="null"/> when JSON transcoding reads every parameter.</returns>
    public string? Problem(IQueryCollection query)
    {
        foreach (var (name, values) in query)
        {
            if (!TryResolve(name, out var field))
            {
                return _readsNone
                    ? $"The {Parameter(name)} is not read: {_takes}."
                    : $"The {Parameter(name)} is no field of the request: {_takes}. Check the spelling, or leave it out.";
            }

            if (_setElsewhere.TryGetValue(field, out var where))
            {
                return $"The {Parameter(name)} sets {field.Name}, which {where} sets: leave it out of the query.";
            }

            if (_readsNone)
            {
                return $"The {Parameter(name)} is not read: {_takes}.";
            }

            if (values.Count > 1 && !field.IsRepeated)
            {
                return $"The {Parameter(name)} is given {values.Count} times, and {field.Name} holds one value: send it once.";
            }
        }

        return null;
    }

    // The field returned is the name's first one: the one the path or the body may already set.
    private bool TryResolve(string name, out FieldDescriptor field)
    {
        FieldDescriptor? first = null;
        JsonMessageSchema? schema = _schema;
        foreach (var part in name.Split('.'))
        {
            if (schema is null || !schema.TryGetField(part, out var index))
            {
                field = null!;
                return false;
            }

            first ??= schema.Fields[index];
            schema = schema.Fields[index].IsMap ? null : schema.Children[index];
        }

        field = first!;
        return true;
    }

    // The name as EchoedName allows (a secret sent as a name, ?<refresh token>, is described by its length); values never are.
    private static string Parameter(string name) => EchoedName.Describe("query parameter", name);
}
#endif
