namespace Consul.Ui.Acl;

/// <summary>Per-circuit login state: the token the user signed in with, if any.</summary>
public sealed class UiSession
{
    public string? Token { get; private set; }
    public UiTokenCheckResult? TokenInfo { get; private set; }

    public bool SignedIn => Token is not null;

    public event Action? Changed;

    public void SignIn(string token, UiTokenCheckResult info)
    {
        Token = token;
        TokenInfo = info;
        Changed?.Invoke();
    }

    public void SignOut()
    {
        Token = null;
        TokenInfo = null;
        Changed?.Invoke();
    }
}
