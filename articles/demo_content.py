"""Demo content for the newspaper CMS.

All people, towns, companies and events below are fictional. The data is
plain Python so that a seeding command can turn it into model instances.
"""

SECTIONS = [
    {
        "name": "News",
        "slug": "news",
        "description": "Breaking stories and everyday reporting from the towns and communities we cover.",
        "menu_order": 10,
    },
    {
        "name": "World",
        "slug": "world",
        "description": "International news, diplomacy and the global forces shaping life at home.",
        "menu_order": 20,
    },
    {
        "name": "Politics",
        "slug": "politics",
        "description": "Parliament, councils, campaigns and the decisions that govern how we live.",
        "menu_order": 30,
    },
    {
        "name": "Business",
        "slug": "business",
        "description": "Companies, markets, jobs and the economy explained without the jargon.",
        "menu_order": 40,
    },
    {
        "name": "Culture",
        "slug": "culture",
        "description": "Books, film, art and the people keeping the region's cultural life busy.",
        "menu_order": 50,
    },
    {
        "name": "Sport",
        "slug": "sport",
        "description": "Results, reports and analysis from the pitch, the track and the road.",
        "menu_order": 60,
    },
]

AUTHORS = [
    {
        "name": "Amara Okafor",
        "slug": "amara-okafor",
        "job_title": "Senior Reporter",
        "bio": "Amara Okafor covers local news, public services and the stories of the communities along the coast. "
        "She joined the paper in 2014 after six years at a regional radio station.",
    },
    {
        "name": "Tomás Reyes-Lindqvist",
        "slug": "tomas-reyes-lindqvist",
        "job_title": "World Affairs Correspondent",
        "bio": "Tomás Reyes-Lindqvist reports on diplomacy, climate negotiations and international elections. "
        "He has filed from more than 30 countries and speaks four languages.",
    },
    {
        "name": "Priya Raman",
        "slug": "priya-raman",
        "job_title": "Political Editor",
        "bio": "Priya Raman leads the paper's political coverage, from parliamentary committees to town hall by-elections. "
        "Before journalism she worked as a researcher on housing policy. She writes a weekly column on Saturdays.",
    },
    {
        "name": "Jonas Albrecht",
        "slug": "jonas-albrecht",
        "job_title": "Business Editor",
        "bio": "Jonas Albrecht writes about companies, jobs and the regional economy. "
        "He is particularly interested in energy, manufacturing and the firms that keep small towns working.",
    },
    {
        "name": "Mei-Lin Zhou",
        "slug": "mei-lin-zhou",
        "job_title": "Culture Editor",
        "bio": "Mei-Lin Zhou reviews books, film and exhibitions and interviews the artists behind them. "
        "She previously edited a literary quarterly and still judges short story competitions in her spare time.",
    },
    {
        "name": "Kwame Mensah",
        "slug": "kwame-mensah",
        "job_title": "Sports Reporter",
        "bio": "Kwame Mensah covers football, athletics and grassroots sport across the region. "
        "He has reported on five major tournaments and never misses a home game at the harbour ground.",
    },
    {
        "name": "Sofia Marchetti",
        "slug": "sofia-marchetti",
        "job_title": "Staff Photographer",
        "bio": "Sofia Marchetti has been a staff photographer since 2016, covering everything from floods to festivals. "
        "Her work on coastal erosion was shortlisted for a national press photography award.",
    },
    {
        "name": "Farah Haddad",
        "slug": "farah-haddad",
        "job_title": "Data and Investigations Reporter",
        "bio": "Farah Haddad turns public records and spreadsheets into stories about health, housing and public money. "
        "She runs the paper's data desk and teaches a short course on freedom of information requests.",
    },
    {
        "name": "Newsroom Wire",
        "slug": "newsroom-wire",
        "job_title": "Agency",
        "bio": "Newsroom Wire supplies national and international news, photography and market reports to partner titles. "
        "Agency copy is edited by our own desk before publication.",
    },
]

STORIES = [
    # ------------------------------------------------------------------ NEWS
    {
        "key": "eastmere-river-warning",
        "headline": "Eastmere residents told to prepare as river levels rise after a week of rain",
        "dek": "Flood wardens are going door to door in low-lying streets, and the council has opened a rest centre at the leisure complex.",
        "section": "news",
        "bylines": [
            ["amara-okafor", ""],
            ["farah-haddad", "Additional reporting by"],
            ["sofia-marchetti", "Photos by"],
        ],
        "dateline_place": "Eastmere",
        "tags": ["Climate", "Local Government"],
        "hours_ago": 1,
        "views": 412,
        "status": "published",
        "photo": {
            "caption": "Volunteers fill sandbags outside the Mill Lane community hall on Tuesday afternoon.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "A line of volunteers in waterproof jackets passing sandbags beside a flooded road",
            "colour": "#5b6f7a",
            "label": "Flood watch",
            "scene": "flood",
        },
        "body": [
            (
                "p",
                "Residents in the lower half of Eastmere have been told to move valuables upstairs and keep a bag packed after the River Lune rose almost a metre in 24 hours, following seven consecutive days of heavy rain.",
            ),
            (
                "p",
                "Flood wardens began knocking on doors in Mill Lane, Tanner's Row and the streets around the old goods yard on Tuesday morning. The council said it had opened a rest centre at the Eastmere Leisure Complex for anyone who needed to leave their home overnight.",
            ),
            (
                "photo",
                {
                    "caption": "The River Lune at Lune Bridge on Tuesday, 30 centimetres below the 2019 mark.",
                    "credit": "Photo: Sofia Marchetti/Newsroom",
                    "alt": "A brown, swollen river under a grey sky, close to the top of its banks",
                    "colour": "#6b7a80",
                    "scene": "flood",
                },
            ),
            ("h2", "Gauges close to 2019 levels"),
            (
                "p",
                "Readings from the gauge at Lune Bridge show the river within 30 centimetres of the level reached in November 2019, when more than 200 homes were flooded. The Environment Agency said further rain forecast for Wednesday night meant the peak was likely to come in the early hours of Thursday.",
            ),
            (
                "p",
                'Since 2019, a new flood wall has been built along the northern bank, but the second phase protecting the southern streets is still awaiting funding. "We are better prepared than last time, but not everywhere," said Dana Whitlock, who chairs the Eastmere flood action group.',
            ),
            ("pullquote", "We are better prepared than last time, but not everywhere."),
            (
                "p",
                "The council has asked drivers to avoid the Quay Road underpass, which was closed at noon, and said bin collections in affected streets would be suspended until Friday. Updates will be posted on its website every three hours.",
            ),
            (
                "factbox",
                [
                    "If water reaches your street",
                    "Move valuables, medicines and documents upstairs.",
                    "Turn off gas and electricity at the mains if it is safe to do so.",
                    "The rest centre at Eastmere Leisure Complex is open day and night.",
                ],
            ),
        ],
    },
    {
        "key": "harbour-bridge-vote",
        "headline": "Port Halden council approves long-delayed harbour bridge after marathon session",
        "dek": "Councillors voted 31 to 19 to build a lifting bridge across the inner harbour, ending a dispute that has run for more than a decade.",
        "section": "news",
        "bylines": [["amara-okafor", ""]],
        "dateline_place": "Port Halden",
        "tags": ["Transport", "Local Government"],
        "hours_ago": 3,
        "views": 1876,
        "status": "published",
        "photo": {
            "caption": "The inner harbour at Port Halden, where the new lifting bridge will link the fish quay with the station district.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "Fishing boats moored in a small harbour with warehouses and a railway station behind",
            "colour": "#4f6d7a",
            "label": "Harbour bridge",
            "scene": "harbour",
        },
        "body": [
            (
                "p",
                "Port Halden will get a bridge across its inner harbour after councillors approved the scheme shortly before midnight on Monday, at the end of a seven-hour meeting that drew more than 150 residents to the town hall.",
            ),
            (
                "p",
                "The 48-million-pound lifting bridge will carry pedestrians, cyclists and buses between the fish quay and the station district, cutting a 25-minute walk around the harbour to about five minutes. Construction is expected to start next spring and take two years.",
            ),
            (
                "gallery",
                {
                    "caption": "The inner harbour today, where the lifting span will rise.",
                    "photos": [
                        {
                            "caption": "The fish quay at first light, where the bridge will land.",
                            "credit": "Photo: Sofia Marchetti/Newsroom",
                            "alt": "Small fishing boats tied up along a stone quay at dawn",
                            "colour": "#4f6d7a",
                            "scene": "harbour",
                        },
                        {
                            "caption": "The station district across the water.",
                            "credit": "Photo: Sofia Marchetti/Newsroom",
                            "alt": "Rows of town buildings seen across a calm stretch of harbour water",
                            "colour": "#6a5d7a",
                            "scene": "city",
                        },
                        {
                            "caption": "The harbour mouth, which the fleet must still reach at any tide.",
                            "credit": "Photo: Sofia Marchetti/Newsroom",
                            "alt": "Boats leaving a harbour between two stone piers",
                            "colour": "#3f6a80",
                            "scene": "harbour",
                        },
                    ],
                },
            ),
            ("h2", "Fishing fleet concerns"),
            (
                "p",
                "The vote followed years of objections from the fishing fleet, whose skippers feared the bridge would restrict access to the inner berths. The final design includes a lifting span that will open on request at any time during the four hours either side of high tide.",
            ),
            (
                "p",
                'Councillor Ruth Penhaligon, who has led the project, said the decision was "the most important thing this council will do for a generation". Opponents argued the money would be better spent on repairs to the existing sea wall and warned that costs could rise.',
            ),
            (
                "p",
                "A legal challenge is still possible. The Port Halden Harbour Users' Association said it would take advice before deciding whether to seek a judicial review.",
            ),
        ],
    },
    {
        "key": "hospital-waiting-lists",
        "headline": "Regional hospital waiting lists fall for the first time in three years",
        "dek": "An analysis of monthly figures shows the number of patients waiting more than a year for treatment has dropped by almost a fifth since January.",
        "section": "news",
        "bylines": [["farah-haddad", ""]],
        "dateline_place": "",
        "tags": ["Health", "Local Government"],
        "hours_ago": 52,
        "views": 2310,
        "status": "published",
        "photo": None,
        "body": [
            (
                "p",
                "Waiting lists at the region's three main hospitals have fallen for six months in a row, the first sustained decline since early in the pandemic, according to an analysis of published NHS figures by this newspaper.",
            ),
            (
                "p",
                "The number of patients waiting more than 52 weeks for planned treatment fell from 4,120 in January to 3,360 at the end of June, a drop of 18 per cent. The biggest improvement was in orthopaedics, where a new surgical hub at Kessington General has been running weekend lists since February.",
            ),
            ("h2", "Emergency pressures remain"),
            (
                "p",
                "The picture in emergency departments is less encouraging. Only 61 per cent of patients were seen within four hours in June, well below the national target of 76 per cent, and ambulance handover delays at Brannock Infirmary remain among the longest in the country.",
            ),
            (
                "p",
                'Dr Helen Achterberg, medical director of the hospitals trust, said staff deserved credit for the progress but cautioned that winter would test it. "We have built some resilience into the system, but demand keeps rising every year," she said.',
            ),
            (
                "p",
                "Patient groups welcomed the figures but said thousands of people were still living with pain while they waited. The trust will publish its winter plan next month.",
            ),
        ],
    },
    {
        "key": "school-breakfast-pilot",
        "headline": "Free school breakfast pilot set to expand to 40 more primary schools",
        "dek": "Head teachers say the scheme has improved attendance and concentration, but funding beyond next year is not yet confirmed.",
        "section": "news",
        "bylines": [["amara-okafor", ""]],
        "dateline_place": "Kessington",
        "tags": ["Education", "Health"],
        "hours_ago": 20,
        "views": 0,
        "status": "draft",
        "photo": {
            "caption": "Pupils at Hollow Lane Primary School eat breakfast before lessons.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "Children sitting at long tables in a school hall eating cereal and toast",
            "colour": "#a08a5c",
            "label": "School breakfast",
            "scene": "city",
        },
        "body": [
            (
                "p",
                "A pilot scheme offering free breakfasts to every pupil at 12 primary schools in Kessington is to be extended to 40 more schools from September, the county council is expected to announce this week.",
            ),
            (
                "p",
                "The scheme, which costs about 45 pence per child per day, opens school doors at 8am and offers cereal, toast, fruit and milk. Schools taking part reported that late arrivals fell by a third in the first term.",
            ),
            (
                "p",
                '"Children who used to come in hungry and unsettled are now ready to learn by nine o\'clock," said Marcus Oyelaran, head teacher at Hollow Lane Primary. "It has also helped parents who start work early."',
            ),
            (
                "p",
                "The expansion will be paid for from a one-off public health grant. Council officers have warned that the scheme cannot continue beyond the next financial year without new money.",
            ),
        ],
    },
    # ----------------------------------------------------------------- WORLD
    {
        "key": "shared-river-draft-deal",
        "headline": "Upstream and downstream nations reach draft deal on sharing a drought-hit river",
        "dek": "Negotiators agreed minimum flow levels for the dry season after talks that ran through the night, though ministers must still sign off the text.",
        "section": "world",
        "bylines": [["tomas-reyes-lindqvist", ""]],
        "dateline_place": "Geneva",
        "tags": ["Diplomacy", "Climate"],
        "hours_ago": 8,
        "views": 964,
        "status": "published",
        "photo": {
            "caption": "Delegates leave the conference centre after the final overnight session.",
            "credit": "Photo: Newsroom Wire",
            "alt": "A group of people in suits walking out of a glass-fronted building at dawn",
            "colour": "#6b7b8c",
            "label": "River talks",
            "scene": "fields",
        },
        "body": [
            (
                "p",
                "Four countries that share one of the region's largest rivers have agreed a draft treaty that for the first time sets a guaranteed minimum flow during the dry season, ending three years of stalled negotiations.",
            ),
            (
                "p",
                "The deal was reached shortly after 5am on Thursday, after mediators proposed a compromise linking the amount of water released from upstream dams to rainfall measured in the catchment over the previous 90 days.",
            ),
            ("h2", "Farmers and fishing communities"),
            (
                "p",
                "Downstream states have complained for years that new hydropower reservoirs were starving their farmland and fisheries during droughts. Upstream governments argued they needed the dams to meet growing electricity demand and could not be bound by fixed quotas.",
            ),
            (
                "p",
                '"Nobody got everything they wanted, which is usually the sign of a workable agreement," said one European diplomat who observed the talks. A joint commission will monitor flows using a network of gauges whose data will be published online.',
            ),
            (
                "p",
                "The text must now be approved by ministers from all four countries at a meeting planned for next month. Environmental groups welcomed the deal but said the minimum flows were lower than scientists had recommended.",
            ),
        ],
    },
    {
        "key": "grain-export-curbs",
        "headline": "Drought cuts grain harvest, pushing two major exporters to curb shipments",
        "dek": "Wheat futures rose for a fourth day as forecasters lowered their estimates for this year's crop.",
        "section": "world",
        "bylines": [["newsroom-wire", ""]],
        "dateline_place": "Chicago",
        "tags": ["Trade", "Climate", "Diplomacy"],
        "hours_ago": 30,
        "views": 1520,
        "status": "published",
        "photo": {
            "caption": "A combine harvester works a parched wheat field. Yields are expected to fall by up to a quarter.",
            "credit": "Photo: Newsroom Wire",
            "alt": "A combine harvester raising dust in a pale, dry wheat field under a hazy sky",
            "colour": "#b09a6a",
            "label": "Grain harvest",
            "scene": "fields",
        },
        "body": [
            (
                "p",
                "Two of the world's largest grain exporters have announced temporary limits on wheat shipments after a summer drought reduced harvest forecasts, sending benchmark futures to their highest level in 14 months.",
            ),
            (
                "p",
                "Agricultural agencies in both countries cut their production estimates by between 15 and 25 per cent this week, citing the driest growing season in more than three decades in key farming regions.",
            ),
            (
                "p",
                "The export quotas, which will apply until the end of the year, are intended to keep domestic bread and flour prices stable. Traders said importing countries in North Africa and the Middle East were likely to feel the effects most sharply.",
            ),
            (
                "p",
                "International food agencies urged governments to avoid outright bans, warning that restrictions in one country often triggered panic buying elsewhere. Analysts noted that global stocks remained higher than during the last price spike, which should limit the impact on consumers.",
            ),
        ],
    },
    {
        "key": "night-cooling-centres",
        "headline": "Record heat forces southern city to open cooling centres through the night",
        "dek": "Libraries, metro stations and sports halls stayed open after midnight as temperatures failed to drop below 30C for a third night.",
        "section": "world",
        "bylines": [["tomas-reyes-lindqvist", ""]],
        "dateline_place": "Lisbon",
        "tags": ["Climate", "Health"],
        "hours_ago": 75,
        "views": 3104,
        "status": "published",
        "photo": {
            "caption": "Residents rest on camp beds in a municipal sports hall converted into a cooling centre.",
            "credit": "Photo: Newsroom Wire",
            "alt": "Rows of camp beds in a large indoor sports hall with fans standing between them",
            "colour": "#c08a5a",
            "label": "Heatwave",
            "scene": "heat",
        },
        "body": [
            (
                "p",
                "Public buildings across the city stayed open overnight for the first time on Tuesday as a heatwave pushed night-time temperatures above 30C, a level local meteorologists said had never been recorded so late in the evening.",
            ),
            (
                "p",
                "More than 60 libraries, sports halls and community centres were turned into cooling centres with water, fans and first-aid staff. City officials said about 4,000 people used them on the first night, many of them older residents living alone in top-floor flats.",
            ),
            ("h2", "Hospitals on alert"),
            (
                "p",
                "Hospitals cancelled non-urgent operations and reported a sharp rise in admissions for dehydration and heat exhaustion. Health authorities urged people to check on elderly neighbours and to avoid going outside between noon and 6pm.",
            ),
            (
                "p",
                'Climate scientists say nights that fail to cool down are among the most dangerous features of modern heatwaves, because the body has no chance to recover. "It is the nights, not the afternoons, that kill people," said one public health researcher.',
            ),
            (
                "p",
                "Forecasters expect temperatures to ease slightly at the weekend, but a further spell of extreme heat is possible later in the month.",
            ),
        ],
    },
    {
        "key": "island-digital-vote",
        "headline": "Observers praise turnout but flag delays in island nation's first digital election",
        "dek": "International monitors said the vote was credible, while recommending changes to how results are transmitted from remote polling stations.",
        "section": "world",
        "bylines": [["tomas-reyes-lindqvist", ""], ["newsroom-wire", "Additional reporting by"]],
        "dateline_place": "",
        "tags": ["Elections", "Technology"],
        "hours_ago": 140,
        "views": 688,
        "status": "published",
        "photo": {
            "caption": "Voters queue outside a polling station that stayed open two hours past its scheduled closing time.",
            "credit": "Photo: Newsroom Wire",
            "alt": "A long queue of people outside a small white school building decorated with election posters",
            "colour": "#5f7f6a",
            "label": "Election day",
            "scene": "city",
        },
        "body": [
            (
                "p",
                'International election observers have described the first general election held using electronic voting machines in a small Pacific island nation as "credible and peaceful", while recording long delays in transmitting results from outlying islands.',
            ),
            (
                "p",
                "Turnout reached 81 per cent, the highest in the country's history. Observers said the new machines were generally easy to use, although several polling stations opened late because of power cuts and had to stay open into the evening.",
            ),
            (
                "p",
                "The most serious criticism concerned the transmission of results. Stations on the outer islands relied on satellite links that failed repeatedly, and some tallies were delivered to the capital by boat, taking up to four days to arrive.",
            ),
            (
                "p",
                "The observer mission recommended that paper records be kept alongside electronic results in future and that the electoral commission publish station-by-station figures as soon as they are counted. Final results are expected by the end of the week.",
            ),
        ],
    },
    # -------------------------------------------------------------- POLITICS
    {
        "key": "housing-bill-rent-cap",
        "headline": "Housing bill clears committee with rent cap amendment intact",
        "dek": "Ministers failed to remove a clause limiting annual rent rises, setting up a difficult vote when the bill returns to the full chamber.",
        "section": "politics",
        "bylines": [["priya-raman", ""]],
        "dateline_place": "",
        "tags": ["Housing", "Elections"],
        "hours_ago": 5,
        "views": 2745,
        "status": "published",
        "photo": {
            "caption": "Terraced houses in Brannock, where average rents have risen by 11 per cent in two years.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "A street of red-brick terraced houses with several letting agency boards outside",
            "colour": "#8a5a4f",
            "label": "Rent cap",
            "scene": "city",
        },
        "body": [
            (
                "p",
                "A cross-party committee has approved the government's housing bill with an amendment that would cap annual rent increases at inflation plus two percentage points, despite ministers' attempts to strip the clause out.",
            ),
            (
                "p",
                "The amendment, tabled by backbenchers from three parties, survived by a single vote on Wednesday evening after two government members of the committee abstained. It would apply to all new and existing private tenancies for an initial period of five years.",
            ),
            ("h2", "A test for ministers"),
            (
                "p",
                "The result leaves the government facing a difficult choice when the bill returns to the full chamber next month: accept a measure it has argued will discourage landlords from letting property, or try to overturn it in a vote it may lose.",
            ),
            (
                "quote",
                "Tenants have been told to wait for a better deal for ten years. This amendment finally gives them one.",
            ),
            (
                "p",
                "Those were the words of Olivia Brand-Nakamura, the committee member who drafted the clause, speaking after the vote. Landlord associations said the cap would reduce the supply of rental homes, while tenant groups called the decision a turning point.",
            ),
            (
                "p",
                'The housing minister, Gareth Lowe, said the government would "reflect carefully" on the committee\'s report but did not rule out seeking to amend the clause at a later stage.',
            ),
        ],
    },
    {
        "key": "kessington-by-election-poll",
        "headline": "Kessington by-election: independent candidate edges ahead in final poll",
        "dek": "Former head teacher Abigail Sørensen leads by three points, but nearly a quarter of voters say they have not made up their minds.",
        "section": "politics",
        "bylines": [["priya-raman", ""], ["farah-haddad", "Analysis by"]],
        "dateline_place": "Kessington",
        "tags": ["Elections", "Local Government"],
        "hours_ago": 26,
        "views": 3988,
        "status": "published",
        "photo": {
            "caption": "Campaigners hand out leaflets at Kessington market on Saturday morning.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "Two campaigners with rosettes handing leaflets to shoppers between market stalls",
            "colour": "#6a5f8a",
            "label": "By-election",
            "scene": "city",
        },
        "body": [
            (
                "p",
                "An independent candidate campaigning on hospital services and bus routes has moved narrowly ahead in the Kessington by-election, according to the final poll published before Thursday's vote.",
            ),
            (
                "p",
                "Abigail Sørensen, a former head teacher who stood down from her school last year, is on 34 per cent, three points ahead of the governing party's candidate on 31 per cent. The main opposition party is third on 22 per cent, with smaller parties sharing the rest.",
            ),
            ("h2", "Reading the numbers"),
            (
                "p",
                "The lead is within the poll's margin of error, and 23 per cent of respondents said they were undecided or might change their minds. By-election polls have a mixed record: in the last five contested seats, the final survey picked the winner three times.",
            ),
            (
                "p",
                "Turnout will be crucial. The seat has historically had one of the lowest turnouts in the region, and Ms Sørensen's support is strongest among younger voters who are less likely to vote.",
            ),
            (
                "p",
                "Polling stations open at 7am and close at 10pm on Thursday. The count will take place overnight at Kessington Sports Centre, with a result expected at around 3am.",
            ),
        ],
    },
    {
        "key": "northern-rail-delay",
        "headline": "Government delays decision on northern rail electrification until autumn",
        "dek": "Transport minister Elena Varga said more work was needed on costs, prompting anger from business leaders and councils along the line.",
        "section": "politics",
        "bylines": [["priya-raman", ""]],
        "dateline_place": "",
        "tags": ["Transport", "Energy", "Economy"],
        "hours_ago": 98,
        "views": 1432,
        "status": "published",
        "photo": {
            "caption": "A diesel train waits at Brannock station. The line is one of the last major routes in the region without overhead wires.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "A two-carriage diesel passenger train standing at a quiet station platform",
            "colour": "#5a6a5a",
            "label": "Rail line",
            "scene": "railway",
        },
        "body": [
            (
                "p",
                "A decision on whether to electrify the northern coastal railway has been pushed back until the autumn, the transport minister told parliament on Monday, the third delay in two years.",
            ),
            (
                "p",
                "Elena Varga said revised estimates had put the cost of the full scheme at 1.9 billion pounds, almost double the figure published in 2021, and officials needed more time to examine cheaper options, including battery trains on some sections.",
            ),
            (
                "p",
                'Councils along the route reacted angrily. "Every delay costs us investment," said the leader of Brannock council, Idris Fairbairn. "Companies want to know whether they will be connected to a modern railway or left with a diesel branch line."',
            ),
            (
                "p",
                'Opposition MPs accused the government of quietly shelving the project. Ms Varga insisted it remained a priority and said the extra months would produce "a plan that can actually be delivered".',
            ),
            (
                "p",
                "Rail industry groups warned that the teams assembled to design the scheme could be disbanded if there was no commitment soon, making any future project slower and more expensive.",
            ),
        ],
    },
    {
        "key": "voting-age-debate",
        "headline": "Parliament to debate lowering the voting age to 16",
        "dek": "A backbench bill has won enough support to secure a full debate, the furthest the proposal has ever progressed.",
        "section": "politics",
        "bylines": [["priya-raman", ""]],
        "dateline_place": "",
        "tags": ["Elections", "Education"],
        "hours_ago": -30,
        "views": 0,
        "status": "scheduled",
        "photo": None,
        "body": [
            (
                "p",
                "Members of parliament will today debate a bill that would allow 16 and 17-year-olds to vote in general and local elections, after it attracted the signatures of more than 200 MPs from across the chamber.",
            ),
            (
                "p",
                "Supporters argue that young people who can work, pay tax and leave school should have a say in how the country is run, and point to places where younger voters already take part in local elections.",
            ),
            (
                "p",
                "Opponents say there is little public demand for the change and that the age of adulthood should remain consistent across the law. The government has not taken a formal position and is expected to allow a free vote.",
            ),
            (
                "p",
                "Teachers' unions have asked that any change be accompanied by better citizenship lessons in schools. The bill would need further stages in both houses before it could become law.",
            ),
        ],
    },
    # -------------------------------------------------------------- BUSINESS
    {
        "key": "hollis-bakery-expansion",
        "headline": "Family bakery chain Hollis & Daughters to open 12 shops despite cost squeeze",
        "dek": "The Westerby-based firm says customers are still paying for quality, even as flour and energy bills climb.",
        "section": "business",
        "bylines": [["jonas-albrecht", ""]],
        "dateline_place": "Westerby",
        "tags": ["Economy", "Energy"],
        "hours_ago": 12,
        "views": 2204,
        "status": "published",
        "photo": {
            "caption": "Managing director Catherine Hollis at the company's bakery, which supplies all 28 shops.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "A woman in a white apron standing beside racks of freshly baked loaves",
            "colour": "#b38b5d",
            "label": "Bakery",
            "scene": "interior",
        },
        "body": [
            (
                "p",
                "Hollis & Daughters, the bakery chain founded in Westerby in 1962, is to open 12 new shops over the next 18 months, creating around 140 jobs, despite a sharp rise in the cost of flour, butter and energy.",
            ),
            (
                "p",
                "The family-owned company, which has 28 shops across the region, reported a 9 per cent rise in sales last year to 31 million pounds, although profits fell slightly as it chose not to pass on all of its higher costs to customers.",
            ),
            ("h2", "Betting on high streets"),
            (
                "p",
                'Managing director Catherine Hollis, granddaughter of the founder, said the new shops would be in market towns rather than retail parks. "People still want a proper loaf and somewhere to stop for a coffee on the way to work," she said. "High streets that have the basics right are doing well."',
            ),
            (
                "p",
                "The expansion will be funded from the company's own reserves and a loan from a regional development bank. Hollis is also spending 2 million pounds on new ovens that it says will cut energy use at its central bakery by a third.",
            ),
            (
                "p",
                "Retail analysts said the plan was ambitious but reflected a wider trend of independent food businesses taking over units left empty by national chains.",
            ),
        ],
    },
    {
        "key": "central-bank-holds",
        "headline": "Central bank holds interest rates but signals cuts could come later this year",
        "dek": "Policymakers voted seven to two to keep borrowing costs unchanged as inflation continues to ease.",
        "section": "business",
        "bylines": [["newsroom-wire", ""]],
        "dateline_place": "London",
        "tags": ["Economy", "Housing"],
        "hours_ago": 9,
        "views": 1687,
        "status": "published",
        "photo": None,
        "body": [
            (
                "p",
                "The central bank left its main interest rate unchanged on Thursday but said it expected to be able to lower borrowing costs later in the year if inflation continued to fall in line with its forecasts.",
            ),
            (
                "p",
                "Seven members of the rate-setting committee voted to hold, while two voted for an immediate cut of a quarter of a percentage point. Inflation fell to 2.8 per cent last month, its lowest level in almost three years.",
            ),
            (
                "p",
                "The bank said wage growth remained stronger than it would like and that it wanted to see further evidence that price pressures in the services sector were easing before acting.",
            ),
            (
                "p",
                "Mortgage lenders said the signal of future cuts could bring fixed-rate deals down in the coming weeks. Business groups, which had called for an immediate reduction, said firms were still delaying investment because of high borrowing costs.",
            ),
        ],
    },
    {
        "key": "brannock-wind-turbines",
        "headline": "Offshore wind developer picks Brannock port for turbine assembly, promising 600 jobs",
        "dek": "The decision ends months of competition between three ports and could revive a quayside that has been largely empty since the shipyard closed.",
        "section": "business",
        "bylines": [["jonas-albrecht", ""], ["sofia-marchetti", "Photos by"]],
        "dateline_place": "Brannock",
        "tags": ["Energy", "Climate", "Economy"],
        "hours_ago": 44,
        "views": 3250,
        "status": "published",
        "photo": {
            "caption": "The former shipyard quay at Brannock, which will be rebuilt to handle turbine blades more than 100 metres long.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "An empty concrete quayside with two rusting cranes and a grey sea beyond",
            "colour": "#4a6a7f",
            "label": "Wind port",
            "scene": "wind",
        },
        "body": [
            (
                "p",
                "Brannock has been chosen as the assembly base for a 1.2-gigawatt offshore wind farm, a decision its developer said would create around 600 permanent jobs and several hundred more during construction.",
            ),
            (
                "p",
                "North Sea Breeze Energy said it had selected the port over two rivals because of its deep-water berths and the large area of flat land left by the closure of the Brannock shipyard in 2009.",
            ),
            ("h2", "A 140-million-pound quay"),
            (
                "p",
                "The quayside will be strengthened and extended at a cost of 140 million pounds, shared between the developer, the port owner and a government fund. Turbine towers, blades and nacelles will be delivered by sea, assembled on site and then shipped out to the wind farm 40 kilometres offshore.",
            ),
            (
                "p",
                '"My grandfather built ships on this quay, and now my children might build turbines here," said Lorna McAteer, a local councillor, who described the announcement as the best news for the town in a generation.',
            ),
            (
                "p",
                "Unions welcomed the jobs but urged the developer to commit to training local workers rather than relying on contractors from elsewhere. The company said it would open a skills centre with Brannock College next year.",
            ),
        ],
    },
    {
        "key": "battery-recycling-plant",
        "headline": "Battery recycling start-up raises funding to build its first full-scale plant",
        "dek": "Cellcycle says its process can recover more than 90 per cent of the lithium, nickel and cobalt in used electric car batteries.",
        "section": "business",
        "bylines": [["jonas-albrecht", ""]],
        "dateline_place": "Kessington",
        "tags": ["Technology", "Energy"],
        "hours_ago": 170,
        "views": 0,
        "status": "draft",
        "photo": {
            "caption": "A technician inspects shredded battery material at Cellcycle's pilot facility.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "A technician in protective glasses holding a tray of dark granular material in a laboratory",
            "colour": "#3f5a5a",
            "label": "Battery plant",
            "scene": "factory",
        },
        "body": [
            (
                "p",
                "Cellcycle, a battery recycling company spun out of Kessington University, has raised 38 million pounds to build its first commercial-scale plant, which it says will be able to process the batteries from about 20,000 electric cars a year.",
            ),
            (
                "p",
                "The company uses a water-based chemical process, rather than high-temperature smelting, to separate the valuable metals inside used battery cells. It claims the method uses less energy and recovers more material than conventional techniques.",
            ),
            (
                "p",
                'Chief executive Nadia Ferreira-Holt said the number of electric car batteries reaching the end of their lives would rise sharply after 2030. "Today they are a waste problem. In ten years they will be one of our most important sources of raw materials," she said.',
            ),
            (
                "p",
                "The plant will be built on an industrial estate on the edge of Kessington and is expected to employ around 120 people when it opens in 2027.",
            ),
        ],
    },
    # --------------------------------------------------------------- CULTURE
    {
        "key": "westerby-museum-murals",
        "headline": "Westerby museum reopens after four-year restoration with rediscovered murals",
        "dek": "Painted scenes of the town's wool trade, hidden under layers of paint since the 1950s, are the centrepiece of the new galleries.",
        "section": "culture",
        "bylines": [["mei-lin-zhou", ""], ["sofia-marchetti", "Photos by"]],
        "dateline_place": "Westerby",
        "tags": ["Arts", "Local Government"],
        "hours_ago": 18,
        "views": 1345,
        "status": "published",
        "photo": {
            "caption": "Visitors look at the restored wool market mural in the museum's main hall.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "People standing in a high-ceilinged hall looking at a large faded mural of a busy market",
            "colour": "#8c7a5b",
            "label": "Museum murals",
            "scene": "interior",
        },
        "body": [
            (
                "p",
                "Westerby Museum reopened to the public on Saturday after a four-year, 12-million-pound restoration, and the queue outside stretched past the town hall before the doors opened at ten.",
            ),
            (
                "p",
                "The main attraction is a set of murals painted in the 1890s that show the town's wool market, its mills and the canal wharves. They were covered with cream paint during a modernisation in the 1950s and were only rediscovered when conservators began stripping the walls of the main hall in 2021.",
            ),
            ("h2", "Painstaking work"),
            (
                "p",
                'Conservators spent more than 8,000 hours removing the overpaint with scalpels and solvents, centimetre by centimetre. "Every morning we would uncover another face, another horse, another bale of wool," said chief conservator Tobias Lindgren-Achebe. "It felt like the town was introducing itself to us."',
            ),
            (
                "p",
                "The museum's collection has also been redisplayed, with new galleries on the town's Huguenot weavers, its wartime munitions factory and the families who arrived from the Caribbean and South Asia to work in the mills after 1950.",
            ),
            (
                "p",
                "Entry remains free. The museum will be open until 8pm on Thursdays through the summer, with late tours of the murals led by the conservation team.",
            ),
        ],
    },
    {
        "key": "harbourside-film-festival",
        "headline": "Harbourside film festival unveils a lineup dominated by first-time directors",
        "dek": "Eleven of the 16 films in competition are debuts, and the opening night gala will be held on the fish quay for the first time.",
        "section": "culture",
        "bylines": [["mei-lin-zhou", ""]],
        "dateline_place": "Port Halden",
        "tags": ["Arts", "Rising Stars"],
        "hours_ago": 64,
        "views": 876,
        "status": "published",
        "photo": {
            "caption": "An outdoor screen is tested on the fish quay ahead of the festival's opening night.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "A large outdoor cinema screen on a quayside at dusk with boats in the foreground",
            "colour": "#3d4a6b",
            "label": "Film festival",
            "scene": "cinema",
        },
        "body": [
            (
                "p",
                "The Port Halden Harbourside Film Festival has announced its strongest ever emphasis on new talent, with 11 of the 16 films in its main competition made by first-time feature directors.",
            ),
            (
                "p",
                "The festival opens on 14 September with The Salt Road, a drama about three generations of a fishing family shot entirely in the town and its surrounding villages. Director Eilidh Kamara-Ross grew up in Port Halden and cast several local residents in supporting roles.",
            ),
            (
                "p",
                'Festival director Paolo Lindqvist said the selection committee had watched more than 900 submissions. "We were not looking for debuts deliberately, they simply kept rising to the top," he said. "There is a confidence and a freshness in this year\'s films that we could not ignore."',
            ),
            (
                "p",
                "For the first time the opening gala will be screened on a giant outdoor screen on the fish quay, with 2,000 free tickets available to residents. Programme details and ticket sales for the indoor screenings go live on Monday.",
            ),
        ],
    },
    {
        "key": "libraries-late-opening",
        "headline": "Libraries in three towns trial late-night opening as quiet study spaces",
        "dek": "Students and home workers have filled the reading rooms since the scheme began, with some branches staying open until 11pm.",
        "section": "culture",
        "bylines": [["amara-okafor", ""]],
        "dateline_place": "Brannock",
        "tags": ["Education", "Local Government", "Arts"],
        "hours_ago": 120,
        "views": 1102,
        "status": "published",
        "photo": {
            "caption": "Students work late in Brannock Central Library, one of three branches taking part in the trial.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "Young people studying at wooden desks under reading lamps in a library at night",
            "colour": "#5c4f6b",
            "label": "Late library",
            "scene": "interior",
        },
        "body": [
            (
                "p",
                "Public libraries in Brannock, Eastmere and Westerby are staying open until 11pm on weekdays as part of a six-month trial aimed at giving students and people who work from home a warm, quiet place to study.",
            ),
            (
                "p",
                "The council says visits after 6pm have averaged more than 150 a night at Brannock Central, far above expectations. Many users are college and university students who share crowded homes, but branch staff say they have also seen nurses between shifts and parents studying for qualifications once their children are in bed.",
            ),
            (
                "p",
                '"At home there is nowhere to sit that isn\'t the kitchen table," said Yusuf Adeyemi, 19, who is studying engineering. "Here I can get four hours of real work done."',
            ),
            (
                "p",
                "The extra hours are staffed by a mix of library staff and trained volunteers and cost about 60,000 pounds for the six months. Councillors will decide in the new year whether to make the arrangement permanent and extend it to other branches.",
            ),
        ],
    },
    {
        "key": "lighthouse-novel-prize",
        "headline": "Debut novel about a lighthouse keeper tops regional book prize shortlist",
        "dek": 'Judges called Hannah Ekwueme\'s The Long Light "quietly astonishing" as the six-book shortlist was announced.',
        "section": "culture",
        "bylines": [["mei-lin-zhou", ""]],
        "dateline_place": "",
        "tags": ["Arts", "Rising Stars"],
        "hours_ago": 260,
        "views": 543,
        "status": "published",
        "photo": None,
        "body": [
            (
                "p",
                "A first novel about the last keeper of a remote lighthouse has been named the favourite for this year's Coastal Book Prize after the judges announced a shortlist of six titles on Tuesday.",
            ),
            (
                "p",
                'The Long Light, by Hannah Ekwueme, follows a keeper in the final months before his lighthouse is automated in 1987, and the young engineer sent to replace him with a machine. Judges described it as "quietly astonishing, funny and deeply sad".',
            ),
            (
                "p",
                'Ekwueme, a former nurse who wrote the book over six years in the evenings, said she was "still in shock". The novel was turned down by 14 publishers before being picked up by a small independent press.',
            ),
            (
                "p",
                "The rest of the shortlist includes a memoir about a family fishing business, a collection of short stories set on a housing estate and a history of the region's lost railway lines. The winner, who receives 10,000 pounds, will be announced at a ceremony in Westerby next month.",
            ),
        ],
    },
    # ----------------------------------------------------------------- SPORT
    {
        "key": "rovers-reach-cup-final",
        "headline": "Port Halden Rovers reach cup final with stoppage-time winner",
        "dek": "Teenage substitute Luca Abernethy scored in the 94th minute to send Rovers to their first final in 38 years.",
        "section": "sport",
        "bylines": [["kwame-mensah", ""], ["sofia-marchetti", "Photos by"]],
        "dateline_place": "Port Halden",
        "tags": ["Football", "Rising Stars"],
        "hours_ago": 14,
        "views": 4870,
        "status": "published",
        "photo": {
            "caption": "Luca Abernethy is mobbed by team-mates after scoring the winning goal.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "Footballers in blue shirts piling on top of a young player in front of a cheering crowd",
            "colour": "#2f4f7f",
            "label": "Cup winner",
            "scene": "stadium",
        },
        "body": [
            (
                "p",
                "Port Halden Rovers are going to the county cup final for the first time since 1987 after 17-year-old substitute Luca Abernethy scored in the fourth minute of stoppage time to beat Kessington Athletic 2-1 at a packed Harbour Ground on Tuesday night.",
            ),
            (
                "p",
                "Athletic had looked the better side for long spells and took the lead just before half-time when Marco Delacroix headed in a corner at the near post. Rovers levelled on 67 minutes through captain Dev Chaudhry, who drove a low shot in off the post from the edge of the area.",
            ),
            ("h2", "A night to remember"),
            (
                "p",
                "With extra time looming, Abernethy, on the pitch for only eight minutes, collected a clearance on the halfway line, ran at the retreating defence and curled a shot into the far corner. The crowd of 4,200, the largest at the ground in a decade, spilled on to the pitch at the final whistle.",
            ),
            (
                "p",
                '"I just closed my eyes and hit it," Abernethy said afterwards. "My mum is in the stand. I don\'t think she\'s stopped crying."',
            ),
            (
                "p",
                "Manager Siobhan Carrick said the club would ask for extra tickets for the final, which will be played at Westerby Park on 3 May against the winners of Saturday's semi-final between Brannock Town and Eastmere United.",
            ),
        ],
    },
    {
        "key": "womens-league-record",
        "headline": "Women's league sets attendance record as Eastmere sell out their stadium",
        "dek": "More than 6,000 fans watched Eastmere United Women beat the league leaders, and the club says it will now play all home games at the main ground.",
        "section": "sport",
        "bylines": [["kwame-mensah", ""], ["farah-haddad", "Data by"]],
        "dateline_place": "Eastmere",
        "tags": ["Football", "Rising Stars"],
        "hours_ago": 85,
        "views": 2967,
        "status": "published",
        "photo": {
            "caption": "Eastmere United Women celebrate in front of a full stand after their 3-1 win.",
            "credit": "Photo: Sofia Marchetti/Newsroom",
            "alt": "Women footballers in red kits applauding a stand full of supporters waving scarves",
            "colour": "#8a3f4a",
            "label": "Record crowd",
            "scene": "stadium",
        },
        "body": [
            (
                "p",
                "A crowd of 6,112 watched Eastmere United Women beat league leaders Brannock Ladies 3-1 on Sunday, the largest attendance ever recorded for a regional women's league match.",
            ),
            (
                "p",
                "Goals from Ama Boateng, Rosie Whitcombe and Hana Kowalczyk put Eastmere in control before Brannock pulled one back late on. The win lifts Eastmere to second in the table, two points off the top with four games remaining.",
            ),
            (
                "p",
                "Figures compiled from club and league records show average attendances in the division have more than tripled in three seasons, from 410 to 1,380. Ticket prices have been kept at five pounds for adults and free for under-16s.",
            ),
            (
                "p",
                'Eastmere\'s chief executive, Graham Oduya, said the women\'s team would play all remaining home matches at the club\'s main stadium rather than the training ground. "The demand is clearly there," he said. "It would be wrong to keep turning people away."',
            ),
        ],
    },
    {
        "key": "mountain-stage-upset",
        "headline": "Young climber wins mountain stage as race leader loses time on final ascent",
        "dek": "The 21-year-old attacked with eight kilometres to go and held off a chasing group to take the biggest win of his career.",
        "section": "sport",
        "bylines": [["newsroom-wire", ""]],
        "dateline_place": "",
        "tags": ["Cycling", "Rising Stars"],
        "hours_ago": 37,
        "views": 1211,
        "status": "published",
        "photo": {
            "caption": "The stage winner climbs through crowds of spectators on the final ascent.",
            "credit": "Photo: Newsroom Wire",
            "alt": "A cyclist riding uphill between crowds of spectators lining a mountain road",
            "colour": "#6a7f4a",
            "label": "Mountain stage",
            "scene": "mountains",
        },
        "body": [
            (
                "p",
                "A 21-year-old rider in his first season at the top level won the race's first summit finish on Wednesday after a solo attack on the final climb, while the overall leader cracked and lost more than a minute.",
            ),
            (
                "p",
                "The young climber went clear with eight kilometres remaining on the 14-kilometre ascent and crossed the line 22 seconds ahead of a small group of favourites. He moves up to fourth overall.",
            ),
            (
                "p",
                "The race leader, who had held the yellow jersey since the opening time trial, was dropped in the final three kilometres and finished 1 minute 14 seconds behind. He keeps the lead by just six seconds ahead of two more mountain stages this weekend.",
            ),
            (
                "p",
                '"I didn\'t look back once, I just kept pushing," the stage winner said. "I came here to learn. I didn\'t expect to be standing on the podium."',
            ),
        ],
    },
    {
        "key": "marathon-earlier-start",
        "headline": "City marathon moves its start time earlier after heat concerns",
        "dek": "Organisers will start the race at 7.30am and add extra water stations following a rise in medical cases at last year's event.",
        "section": "sport",
        "bylines": [["kwame-mensah", ""]],
        "dateline_place": "Kessington",
        "tags": ["Health", "Climate"],
        "hours_ago": 380,
        "views": 734,
        "status": "published",
        "photo": None,
        "body": [
            (
                "p",
                "The Kessington Marathon will start 90 minutes earlier than usual this year, at 7.30am, after organisers reviewed medical data from last year's race, when temperatures reached 27C by late morning.",
            ),
            (
                "p",
                "Medical teams treated 312 runners last year, nearly double the previous year, and 14 people were taken to hospital with heat-related illness. Most of the serious cases involved slower runners who were still on the course at midday.",
            ),
            (
                "p",
                "Race director Fiona Adebayo-Clarke said the earlier start meant most of the 9,000 entrants would finish before the hottest part of the day. The number of water stations will rise from 10 to 16, and misting showers will be set up at three points on the route.",
            ),
            (
                "p",
                "Runners will also be able to move to the half-marathon distance on race morning without penalty if conditions are hot. Organisers said they would keep the start time under review and could bring it forward again in future years.",
            ),
        ],
    },
]

# The newspaper's own pages (pages.Page), linked in the footer of every page.
PAGES = [
    {
        "title": "About us",
        "slug": "about",
        "footer_order": 10,
        "description": "Who we are, what we cover and how we are paid for.",
        "body": "<p>Newsroom is an independent daily news site covering the towns along the coast, the region's "
        "politics and economy, and the world beyond it. Our reporters live in the places they write about.</p>"
        "<h2>Who pays for it</h2><p>We are funded by our readers' subscriptions and by advertising that never "
        "influences what we report. Our owners have no say over our journalism: that is written into the paper's "
        '"editorial charter", which you can ask us for at any time.</p>'
        "<h2>The newsroom</h2><p>Twelve reporters, four editors and a photographer work from our office on "
        "Harbour Street. Stories from news agencies are marked as such.</p>",
    },
    {
        "title": "Contact us",
        "slug": "contact",
        "footer_order": 20,
        "description": "How to reach the newsroom, send a tip or ask for a correction.",
        "body": '<p>Write to the newsroom at <a href="mailto:desk@newsroom.example">desk@newsroom.example</a> '
        "or call +44 20 7946 0000 between 8 am and 10 pm.</p><h2>Send us a tip</h2><p>If you have a story "
        'for us, email <a href="mailto:tips@newsroom.example">tips@newsroom.example</a>. We protect our '
        "sources.</p><h2>Letters to the editor</h2><p>Letters of up to 250 words may be published, edited "
        "for length. Please include your name and town.</p>",
    },
    {
        "title": "Corrections policy",
        "slug": "corrections-policy",
        "footer_order": 30,
        "description": "How we correct our mistakes, openly and quickly.",
        "body": "<p>We correct errors of fact as soon as we know about them. A correction is added at the foot of "
        'the story, dated, saying what was wrong; the story shows "Updated" with the time.</p>'
        "<h2>What we do not change silently</h2><p>We never remove a published fact without saying so. "
        "Spelling and grammar fixes that change no meaning are made without a note.</p><h2>How to ask for a "
        'correction</h2><p>Email <a href="mailto:corrections@newsroom.example">corrections@newsroom.example'
        "</a> with the story's address and what you believe is wrong. An editor who did not work on the story "
        "answers within two working days.</p>",
    },
    {
        "title": "Standards and ethics",
        "slug": "standards",
        "footer_order": 40,
        "description": "The rules our journalists work by.",
        "body": "<p>Our reporters identify themselves, do not pay for information and give the people they write "
        "about a fair chance to answer. We name our sources wherever we can and explain why when we cannot.</p>"
        "<p>Pictures are not altered beyond the adjustments a darkroom would make; illustrations are labelled.</p>",
    },
]
