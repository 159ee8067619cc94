"""The seed story this product was designed from, as the demo shows it (the importer reads the raw page)."""

SEED_STORY = {
    "key": "seed-uprising-in-russia",
    "headline": "Uprising in Russia: Mobilized Soldiers' Wives Stand Firm Against Putin",
    "dek": "",
    "section": "news",
    "bylines": [["henrik-rothen", ""]],
    "dateline_place": "",
    "tags": ["Russia", "Ukraine War", "Protests"],
    "published": "2024-01-07T12:58:00+01:00",  # "Jan.07 - 2024 12:58 PM CET"
    "status": "published",
    "views": 900,
    "photo": {
        "caption": "Mobilized Soldiers' Wives Stand Firm Against Putin.",
        "credit": "Photo: X",
        "alt": "Women lay flowers at the eternal flame by the Kremlin wall.",
        "colour": "#5b6770",
        "label": "Eternal flame",
        "scene": "flame",
    },
    "body": [
        (
            "p",
            'Russian women are increasingly demonstrating their rebellion against Russia\'s involvement in the war with Ukraine, and most importantly, against the mobilization of men. Wives of mobilized soldiers have formed a movement "The Way Back Home," aimed at persuading Putin to change his current war-related actions.',
        ),
        (
            "p",
            "15 women gathered in Moscow near the eternal flame by the Kremlin. Sad and tearful, they approached in small groups to lay flowers at the flame.",
        ),
        (
            "p",
            "These women are the wives of men who have been mobilized and are fighting on the front in Ukraine. The location is symbolic. The flame near the Kremlin commemorates the millions of Russian soldiers who have fallen over the centuries fighting for their country.",
        ),
        ("h2", "Demanding Demobilization"),
        (
            "p",
            'As reported by service X, their demonstrations are organized not only in Moscow but also in St. Petersburg, albeit on a smaller scale. Social media mentions talk about five women. They meet regularly by the Kremlin wall, once a week, demanding demobilization and the return of men to their homes and families. On the coat of one of the women, there is an inscription: "Bring back my husband, I’ve had enough."',
        ),
        (
            "p",
            "Russian women are worried about their husbands and brothers, especially as there are indications of an approaching next wave of mobilization.",
        ),
        (
            "p",
            'One of the women at another recording of the protest participants said, "I think eventually there will be no more living mobilized men. Most likely, there will be a second wave of mobilization, and the boys will be deployed indefinitely, and their wives will start coming here in white scarves, and we will support them in black, God forbid," she added fearfully.',
        ),
        ("h2", "Is Russia Controlling the Situation?"),
        (
            "p",
            'Although the weekly demonstrations are not interrupted, and a note on social media recordings reads, "Putin is too scared to arrest them," the wives of the mobilized are becoming targets of the Russian authorities, which prohibit the organization of rallies and warn of responsibility for "extremism" - this became loud in November.',
        ),
        (
            "p",
            'In the Krasnoyarsk Krai, wives of mobilized soldiers received phone calls from the police, informing them of the responsibility for "extremism." Additionally, the authorities identified women who tried to unite their forces and convene a chat to organize a rally.',
        ),
        (
            "p",
            "The police came to them. Authorities issue refusals to applications submitted by women in different cities for permission to organize rallies.",
        ),
    ],
}

SEED_AUTHOR = {
    "name": "Henrik Rothen",
    "slug": "henrik-rothen",
    "job_title": "Reporter",
    "bio": "Henrik Rothen reports on Russia, Ukraine and European security.",
}
