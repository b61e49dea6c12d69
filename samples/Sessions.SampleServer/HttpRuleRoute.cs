#if JSON_TRANSCODING
using Google.Api;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Sessions.SampleServer;

/// <summary>
/// One route of a service's HTTP rules (the <c>google.api.http</c> option of its methods, and their
/// <c>additional_bindings</c>): its HTTP method, its path template, the rpc it calls and what its body is. Read from
/// the service descriptor, so that what <see cref="JsonRouteFallback"/> says about the routes is what JSON transcoding
/// serves.
/// </summary>
internal sealed class HttpRuleRoute
{
    private readonly string[] segments;
    private readonly string? verb;

    private HttpRuleRoute(string method, string template, string rpc, string body)
    {
        Method = method;
        Template = template;
        Rpc = rpc;
        Body = body;

        // The template grammar (google/api/http.proto): "/" Segments [ ":" Verb ], a segment being a literal, "*",
        // "**" or a variable "{name}" / "{name=segments}". A variable matches what its segments match ("*" when none
        // is given).
        var path = template;
        var lastSlash = path.LastIndexOf('/');
        var colon = path.LastIndexOf(':');
        if (colon > lastSlash && colon > path.LastIndexOf('}'))
        {
            verb = path[(colon + 1)..];
            path = path[..colon];
        }

        var expanded = new List<string>();
        foreach (var segment in path.Trim('/').Split('/'))
        {
            if (segment.StartsWith('{'))
            {
                var equals = segment.IndexOf('=', StringComparison.Ordinal);
                expanded.Add(equals < 0 ? "*" : segment[(equals + 1)..].TrimEnd('}'));
            }
            else if (segment.EndsWith('}'))
            {
                // the last segment of a variable's own segments ("{name=users/*}" split at its slash)
                expanded.Add(segment.TrimEnd('}'));
            }
            else
            {
                expanded.Add(segment);
            }
        }

        segments = [.. expanded];
    }

    /// <summary>The HTTP method (<c>GET</c>, <c>POST</c>, ..., or a custom rule's kind).</summary>
    public string Method { get; }

    /// <summary>The path template as the rule has it (<c>/v1/users/{user_id}/sessions</c>).</summary>
    public string Template { get; }

    /// <summary>The name of the rpc (<c>Create</c>).</summary>
    public string Rpc { get; }

    /// <summary>The rule's <c>body</c>: <c>*</c> for the whole request as JSON, a field name, or empty for none.</summary>
    public string Body { get; }

    /// <summary>The routes of every method of the service, in the order of the .proto file.</summary>
    /// <param name="service">The service.</param>
    /// <returns>The routes; none for a service without HTTP rules.</returns>
    public static IReadOnlyList<HttpRuleRoute> Of(ServiceDescriptor service)
    {
        var routes = new List<HttpRuleRoute>();
        foreach (var method in service.Methods)
        {
            if (method.GetOptions()?.GetExtension(AnnotationsExtensions.Http) is not { } rule)
            {
                continue;
            }

            Add(routes, rule, method.Name);
            foreach (var binding in rule.AdditionalBindings)
            {
                Add(routes, binding, method.Name);
            }
        }

        return routes;
    }

    /// <summary>
    /// The field paths a path template's variables set (<c>/v1/users/{user_id}/sessions</c>: <c>user_id</c>; a variable
    /// <c>{name=segments}</c> gives <c>name</c>), in the template's order.
    /// </summary>
    /// <param name="template">The path template.</param>
    /// <returns>The variables' field paths; none for a template without variables.</returns>
    public static IReadOnlyList<string> VariablesOf(string template)
    {
        var variables = new List<string>();
        foreach (var segment in template.Split('/'))
        {
            if (segment.StartsWith('{'))
            {
                var end = segment.IndexOfAny(['=', '}']);
                variables.Add(end < 0 ? segment[1..] : segment[1..end]);
            }
        }

        return variables;
    }

    /// <summary>A rule's HTTP method and path template (<c>("GET", "/v1/keys")</c>); both empty for a rule without a pattern.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>The method (a custom rule's kind for a custom pattern) and the template.</returns>
    public static (string Method, string Template) Pattern(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => ("GET", rule.Get),
        HttpRule.PatternOneofCase.Post => ("POST", rule.Post),
        HttpRule.PatternOneofCase.Put => ("PUT", rule.Put),
        HttpRule.PatternOneofCase.Delete => ("DELETE", rule.Delete),
        HttpRule.PatternOneofCase.Patch => ("PATCH", rule.Patch),
        HttpRule.PatternOneofCase.Custom => (rule.Custom.Kind, rule.Custom.Path),
        _ => (string.Empty, string.Empty),
    };

    private static void Add(List<HttpRuleRoute> routes, HttpRule rule, string rpc)
    {
        var (method, template) = Pattern(rule);
        if (method.Length > 0 && template.StartsWith('/'))
        {
            routes.Add(new HttpRuleRoute(method, template, rpc, rule.Body));
        }
    }

    /// <summary>
    /// Whether a request path is one of this route's paths, whatever its method. Literals compare without regard to
    /// case, as routing compares them.
    /// </summary>
    /// <param name="path">The request path (<c>/v1/users/3f2504e0-.../sessions</c>).</param>
    /// <returns><see langword="true"/> when the path fits the template.</returns>
    public bool Matches(string path)
    {
        if (path.Length > 1 && path.EndsWith('/'))
        {
            path = path[..^1];   // routing ignores one trailing slash
        }

        if (verb is not null)
        {
            if (!path.EndsWith(":" + verb, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            path = path[..^(verb.Length + 1)];
        }

        var parts = path.Trim('/').Split('/');
        return Matches(parts, 0, 0);
    }

    private bool Matches(string[] parts, int part, int segment)
    {
        for (; segment < segments.Length; segment++, part++)
        {
            var expected = segments[segment];
            if (expected == "**")
            {
                // the rest of the path, as long as the template's segments after it still fit
                for (var rest = part; rest <= parts.Length; rest++)
                {
                    if (Matches(parts, rest, segment + 1))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (part >= parts.Length || parts[part].Length == 0
                || (expected != "*" && !string.Equals(expected, parts[part], StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return part == parts.Length;
    }
}
#endif
