using Microsoft.Extensions.Options;

namespace Sessions.Grpc.Internal.Authentication;

/// <summary>
/// Checks when the host starts that every name of <see cref="SessionAuthenticationInterceptorOptions"/> can match a
/// call: a requirement under a mistyped name would never be checked, and a method under it never allowed.
/// </summary>
internal sealed class InterceptorOptionsValidator : IValidateOptions<SessionAuthenticationInterceptorOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionAuthenticationInterceptorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string>? errors = null;
        foreach (var method in options.AllowAnonymous)
        {
            if (GrpcMethodName.Problem(nameof(options.AllowAnonymous), method) is { } problem)
            {
                (errors ??= []).Add(problem);
            }
        }

        foreach (var method in options.Requirements.Keys)
        {
            if (GrpcMethodName.Problem(nameof(options.Requirements), method) is { } problem)
            {
                (errors ??= []).Add(problem);
            }
        }

        return errors is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
