namespace DocsSamples;

/// <summary>docs/key-rotation.md: keys from the host's own store.</summary>
public static class OwnKeySource
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <own-key-source>
        builder.Services.AddSessionKeySource(_ => new PemFileKeys("/run/secrets/sessions-signing.pem", keyId: "2026-11"));
        builder.Services.AddSessions();   // issuer, audience, lifetime from Sessions:*, no Secret needed
        // </own-key-source>
        return builder.Build();
    }
}
