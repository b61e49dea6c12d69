namespace Sessions.Grpc.Internal.Authentication;

/// <summary>
/// The names <see cref="SessionAuthenticationInterceptorOptions"/> takes: a full method name as calls carry it
/// (<c>/package.Service/Method</c>) or a service name (<c>package.Service</c>). A name of another shape can never match a
/// call, so that a requirement under it would leave its method open to any session.
/// </summary>
internal static class GrpcMethodName
{
    /// <summary>Why <paramref name="name"/>, an entry of the option <paramref name="option"/>, can never match a call; <see langword="null"/> when it can.</summary>
    public static string? Problem(string option, string name)
    {
        if (IsMethod(name) || IsService(name))
        {
            return null;
        }

        return $"SessionAuthenticationInterceptorOptions.{option} has '{name}', which no call can match: name a method as " +
            "'/package.Service/Method' (with its leading slash) or every method of a service as 'package.Service', without spaces.";
    }

    private static bool IsService(string name) =>
        name.Length > 0 && !name.Contains('/', StringComparison.Ordinal) && IsPrintable(name);

    private static bool IsMethod(string name)
    {
        if (name.Length < 4 || name[0] != '/')
        {
            return false;
        }

        var slash = name.IndexOf('/', 1);
        return slash > 1 && slash < name.Length - 1 && name.IndexOf('/', slash + 1) < 0 && IsPrintable(name);
    }

    // Printable ASCII without the space, as gRPC's method names are.
    private static bool IsPrintable(string name) => !name.AsSpan().ContainsAnyExceptInRange('!', '~');
}
