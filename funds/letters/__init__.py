"""Decision letters (quyết định): the fund's letter text as versioned data with ${placeholders},
a number from the fund's yearly sequence when the letter is issued, and the issued text kept
with its SHA-256 so the letter reads the same years later."""
