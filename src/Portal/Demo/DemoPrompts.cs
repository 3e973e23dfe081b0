namespace Portal.Demo;

/// <summary>What the generator's conversations ask: everyday chat-application requests of varied length.</summary>
internal static class DemoPrompts
{
    public static readonly string SystemPrompt =
        "You are the support assistant of an online store. Answer briefly and precisely; ask for an order number when you need one.";

    public static readonly string[] Openers =
    [
        "My order hasn't arrived yet. It was supposed to be delivered on Tuesday. What can I do?",
        "Can you summarise the return policy for electronics in three bullet points?",
        "Write a short, friendly reply to a customer who received the wrong size of running shoes.",
        "I was charged twice for the same order. How do I get a refund for the duplicate charge?",
        "Translate this into German: 'Your package has been shipped and will arrive within three business days.'",
        "Explain the difference between standard and express shipping, including typical delivery times and costs.",
        "Draft a product description for a waterproof hiking backpack with a 30-litre capacity, padded straps and a rain cover.",
        "A customer writes: 'The blender stopped working after two weeks, I want my money back.' Classify the sentiment and suggest next steps.",
        "Give me a SQL query that lists the ten customers with the highest total order value in the last 90 days.",
        "What information do you need from me to change the delivery address of an order that has already shipped?",
    ];

    public static readonly string[] FollowUps =
    [
        "Thanks. Can you make that shorter?",
        "The order number is 48213-77. Does that change anything?",
        "Could you put that in a table instead?",
        "And what if I am outside the 30-day window?",
        "Please rewrite it in a more formal tone.",
        "OK. What happens next, step by step?",
    ];

    public static readonly int[] MaxTokens = [32, 64, 96, 128, 192, 256];
}
