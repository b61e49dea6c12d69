namespace DocsSamples;

/// <summary>docs/redis.md: a Redis behind TLS with a private certificate authority and client certificates.</summary>
public static class RedisTls
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // <redis-tls-private-ca>
        builder.Services.AddSessions(builder.Configuration.GetSection("Sessions"))
            .AddRedisStore(o =>
            {
                o.Configuration = "redis:6380,ssl=true,password=" + builder.Configuration["REDIS_PASSWORD"];
                o.ConfigureConnection = redis =>
                {
                    redis.TrustIssuer("/etc/redis-tls/ca.crt");                                     // the authority that signed Redis's certificate
                    redis.SetUserPfxCertificate("/etc/redis-tls/client.pfx", builder.Configuration["REDIS_CLIENT_PFX_PASSWORD"]);
                };
            });
        builder.Services.AddRedisSessionEventSink(o =>
        {
            o.Configuration = "redis:6380,ssl=true,password=" + builder.Configuration["REDIS_PASSWORD"];
            o.ConfigureConnection = redis => redis.TrustIssuer("/etc/redis-tls/ca.crt");
        });
        // </redis-tls-private-ca>
        return builder.Build();
    }
}
