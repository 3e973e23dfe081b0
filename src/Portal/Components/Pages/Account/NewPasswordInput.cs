using System.ComponentModel.DataAnnotations;

namespace Portal.Components.Pages.Account;

/// <summary>A new password typed twice, as the reset, change and invitation pages ask for it.</summary>
public sealed class NewPasswordInput
{
    [Required(ErrorMessage = "Enter a new password.")]
    [MinLength(12, ErrorMessage = "Use 12 characters or more.")]
    public string Password { get; set; } = "";

    [Compare(nameof(Password), ErrorMessage = "The two passwords differ.")]
    public string Confirm { get; set; } = "";
}
