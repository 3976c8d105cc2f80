"""Demo content for Medvirk: the fictional Medvik kommune.

Plain data only (lists and dicts of str, int, bool and None), no imports from
the application. A seeding command or the benchmark data generator can read
these constants to fill an empty database with realistic Norwegian content.

Medvik is a fictional, mid-size coastal municipality: a town centre (Sentrum)
with a harbour (Havna), the villages Nordbygda, Sørvika and Eidet, the housing
area Vestre Lia, the park Fjordparken by the fjord, Holmen badeplass, the sports
hall Medvikhallen, Solgløtt sykehjem and Medvik bibliotek. All people and
organisations are made up; e-mail addresses use example domains only.
"""

# The data below is laid out by hand for reading; keep the formatter off.
# fmt: off

# ---------------------------------------------------------------------------
# 1. Municipal structure: kommunalområder and their virksomhetsområder
# ---------------------------------------------------------------------------

MUNICIPAL_AREAS = [
    {
        "name": "Oppvekst og utdanning", "name_nn": "Oppvekst og utdanning", "name_en": "Childhood and Education",
        "service_areas": [
            "Barnehage",
            "Grunnskole",
            "Kulturskole og fritid",
            "Kultur og idrett",
        ],
    },
    {
        "name": "Helse og velferd", "name_nn": "Helse og velferd", "name_en": "Health and Welfare",
        "service_areas": [
            "Sykehjem og omsorg",
            "Helse og rehabilitering",
            "NAV og sosiale tjenester",
        ],
    },
    {
        "name": "Samfunnsutvikling", "name_nn": "Samfunnsutvikling", "name_en": "Community Development",
        "service_areas": [
            "Vei og trafikk",
            "Plan og byggesak",
            "Klima og miljø",
            "Vann og avløp",
        ],
    },
    {
        "name": "Organisasjon og støtte", "name_nn": "Organisasjon og støtte", "name_en": "Organisation and Support",
        "service_areas": [
            "IT og digitalisering",
            "Innkjøp",
            "Eiendom",
        ],
    },
]

# The service areas' names in nynorsk and English, by their bokmål name.
SERVICE_AREA_NAMES = {
    "Barnehage": ("Barnehage", "Kindergartens"),
    "Grunnskole": ("Grunnskule", "Primary and lower secondary school"),
    "Kulturskole og fritid": ("Kulturskule og fritid", "School of arts and leisure"),
    "Kultur og idrett": ("Kultur og idrett", "Culture and sport"),
    "Sykehjem og omsorg": ("Sjukeheim og omsorg", "Nursing homes and care"),
    "Helse og rehabilitering": ("Helse og rehabilitering", "Health and rehabilitation"),
    "NAV og sosiale tjenester": ("NAV og sosiale tenester", "NAV and social services"),
    "Vei og trafikk": ("Veg og trafikk", "Roads and traffic"),
    "Plan og byggesak": ("Plan og byggjesak", "Planning and building applications"),
    "Klima og miljø": ("Klima og miljø", "Climate and environment"),
    "Vann og avløp": ("Vatn og avløp", "Water and sewerage"),
    "IT og digitalisering": ("IT og digitalisering", "IT and digitalisation"),
    "Innkjøp": ("Innkjøp", "Procurement"),
    "Eiendom": ("Eigedom", "Property"),
}

# ---------------------------------------------------------------------------
# 2. Organisations (org numbers pass the mod-11 check; None = informal group)
# ---------------------------------------------------------------------------

ORGANISATIONS = [
    {
        "name": "Medvik Idrettslag",
        "kind": "voluntary",
        "org_number": "926018159",
        "description": (
            "Fleridrettslag med fotball, håndball, ski og friidrett for barn, "
            "ungdom og voksne. Holder til i Medvikhallen og på Sørvika stadion."
        ),
        "website": "https://medvik-il.example.no",
        "verified": True,
    },
    {
        "name": "Nordbygda Velforening",
        "kind": "voluntary",
        "org_number": "883016610",
        "description": (
            "Velforening for Nordbygda. Vi arrangerer dugnader, vedlikeholder "
            "badeplassen og lekeplassen og er bygdas stemme overfor kommunen."
        ),
        "website": None,
        "verified": True,
    },
    {
        "name": "FAU Nordbygda skole",
        "kind": "other",
        "org_number": None,
        "description": (
            "Foreldrerådets arbeidsutvalg ved Nordbygda skole. Vi jobber særlig "
            "med trygg skolevei, skolemiljø og aktiviteter for elevene."
        ),
        "website": None,
        "verified": False,
    },
    {
        "name": "Medvik Frivilligsentral",
        "kind": "voluntary",
        "org_number": "818609132",
        "description": (
            "Møteplass og knutepunkt for frivillig innsats i Medvik: besøksvenner, "
            "utlånssentral, leksehjelp, språkkafé og turgrupper."
        ),
        "website": "https://frivilligsentral.medvik.example.no",
        "verified": True,
    },
    {
        "name": "Medvik Pensjonistforening",
        "kind": "voluntary",
        "org_number": "899603087",
        "description": (
            "Forening for pensjonister i hele kommunen, med rundt 300 medlemmer. "
            "Månedlige medlemsmøter, turer og besøkstjeneste."
        ),
        "website": None,
        "verified": True,
    },
    {
        "name": "Natur og Ungdom Medvik",
        "kind": "voluntary",
        "org_number": None,
        "description": (
            "Lokallag for ungdom som er opptatt av klima, natur og miljø. "
            "Vi rydder strender og jobber for bedre kollektivtilbud og sykkelveier."
        ),
        "website": None,
        "verified": False,
    },
    {
        "name": "Fjordlys Elektro AS",
        "kind": "business",
        "org_number": "846281940",
        "description": (
            "Lokal elektroinstallatør med tolv ansatte og to lærlinger. "
            "Solceller, ladeanlegg og el-installasjoner for privat og næring."
        ),
        "website": "https://fjordlys-elektro.example.no",
        "verified": True,
    },
    {
        "name": "Bakeriet på Brygga AS",
        "kind": "business",
        "org_number": "819935181",
        "description": (
            "Familiedrevet bakeri og kafé i Havna siden 1987. "
            "Vi baker med lokalt mel og gir bort overskuddsbrød hver kveld."
        ),
        "website": "https://bakerietpabrygga.example.no",
        "verified": False,
    },
    {
        "name": "Borettslaget Vestre Lia",
        "kind": "other",
        "org_number": "890937861",
        "description": (
            "Borettslag med 84 leiligheter i Vestre Lia. Styret jobber for "
            "bedre uteområder, lekeplass og trygg gangvei til sentrum."
        ),
        "website": None,
        "verified": True,
    },
    {
        "name": "Havna Båtforening",
        "kind": "voluntary",
        "org_number": "979754329",
        "description": (
            "Båtforening med 140 båtplasser i Havna. Vi arbeider for et rent "
            "havnebasseng og et levende havneområde for alle."
        ),
        "website": None,
        "verified": False,
    },
    {
        "name": "Medvik Næringsforum",
        "kind": "business",
        "org_number": "991186255",
        "description": (
            "Nettverk for næringslivet i Medvik, med over 70 medlemsbedrifter "
            "innen handel, industri, fiskeri og reiseliv."
        ),
        "website": "https://naeringsforum.medvik.example.no",
        "verified": True,
    },
]

# ---------------------------------------------------------------------------
# 3. People: residents and municipal staff
# ---------------------------------------------------------------------------

PEOPLE = [
    # Residents
    {"full_name": "Ingrid Haugen-Berg", "email": "ingrid.haugen-berg@example.no", "role": "resident"},
    {"full_name": "Per Olav Strand", "email": "per.olav.strand@example.no", "role": "resident"},
    {"full_name": "Amina Yusuf", "email": "amina.yusuf@example.com", "role": "resident"},
    {"full_name": "Torbjørn Lie", "email": "torbjorn.lie@example.no", "role": "resident"},
    {"full_name": "Kari Anne Solheim", "email": "kari.anne.solheim@example.no", "role": "resident"},
    {"full_name": "Sindre Vik", "email": "sindre.vik@example.no", "role": "resident"},
    {"full_name": "Marit Kvamme", "email": "marit.kvamme@example.no", "role": "resident"},
    {"full_name": "Jonas Myklebust", "email": "jonas.myklebust@example.com", "role": "resident"},
    {"full_name": "Agnieszka Nowak", "email": "agnieszka.nowak@example.com", "role": "resident"},
    {"full_name": "Hans Petter Rønning", "email": "hans.petter.ronning@example.no", "role": "resident"},
    {"full_name": "Thi Lan Nguyen", "email": "thi.lan.nguyen@example.no", "role": "resident"},
    {"full_name": "Sigrid Aasen", "email": "sigrid.aasen@example.no", "role": "resident"},
    {"full_name": "Øystein Hovland", "email": "oystein.hovland@example.no", "role": "resident"},
    {"full_name": "Anne-Lise Fjeld", "email": "anne-lise.fjeld@example.no", "role": "resident"},
    {"full_name": "Yonas Tesfaye", "email": "yonas.tesfaye@example.com", "role": "resident"},
    {"full_name": "Liv Torill Nes", "email": "liv.torill.nes@example.no", "role": "resident"},
    {"full_name": "Emil Sandvik", "email": "emil.sandvik@example.no", "role": "resident"},
    {"full_name": "Hilde Moen-Larsen", "email": "hilde.moen-larsen@example.no", "role": "resident"},
    {"full_name": "Bjørn Erik Dahl", "email": "bjorn.erik.dahl@example.no", "role": "resident"},
    {"full_name": "Nora Lund", "email": "nora.lund@example.com", "role": "resident"},
    {"full_name": "Kristoffer Aune", "email": "kristoffer.aune@example.no", "role": "resident"},
    {"full_name": "Solveig Brekke", "email": "solveig.brekke@example.no", "role": "resident"},
    {"full_name": "Arne Hjelle", "email": "arne.hjelle@example.no", "role": "resident"},
    {"full_name": "Maja Ødegård", "email": "maja.odegard@example.no", "role": "resident"},
    {"full_name": "Lars Ivar Tveit", "email": "lars.ivar.tveit@example.no", "role": "resident"},
    {"full_name": "Fatima Rahimi", "email": "fatima.rahimi@example.com", "role": "resident"},
    {"full_name": "Terje Øvrebø", "email": "terje.ovrebo@example.no", "role": "resident"},
    {"full_name": "Ida Kristine Holm", "email": "ida.kristine.holm@example.no", "role": "resident"},
    {"full_name": "Geir Vatne", "email": "geir.vatne@example.no", "role": "resident"},
    {"full_name": "Randi Opheim", "email": "randi.opheim@example.no", "role": "resident"},
    {"full_name": "Mathias Berntsen", "email": "mathias.berntsen@example.com", "role": "resident"},
    {"full_name": "Elin Nygaard-Sæther", "email": "elin.nygaard-saether@example.no", "role": "resident"},
    {"full_name": "Tobias Lunde", "email": "tobias.lunde@example.no", "role": "resident"},
    {"full_name": "Gunhild Rustad", "email": "gunhild.rustad@example.no", "role": "resident"},
    {"full_name": "Rune Kolstad", "email": "rune.kolstad@example.no", "role": "resident"},
    {"full_name": "Hamid Noori", "email": "hamid.noori@example.com", "role": "resident"},
    {"full_name": "Vilde Sørensen", "email": "vilde.sorensen@example.no", "role": "resident"},
    {"full_name": "Knut Arild Hegge", "email": "knut.arild.hegge@example.no", "role": "resident"},
    {"full_name": "Tone Bjørnstad", "email": "tone.bjornstad@example.no", "role": "resident"},
    {"full_name": "Jan Erik Myrvold", "email": "jan.erik.myrvold@example.no", "role": "resident"},
    # Staff
    {"full_name": "Siri Lindahl", "email": "siri.lindahl@medvik.kommune.no", "role": "moderator"},
    {"full_name": "Ola Fredrik Mo", "email": "ola.fredrik.mo@medvik.kommune.no", "role": "moderator"},
    {"full_name": "Hanne Grønvold", "email": "hanne.gronvold@medvik.kommune.no", "role": "portfolio_manager"},
    {"full_name": "Espen Rasmussen-Tjelle", "email": "espen.rasmussen-tjelle@medvik.kommune.no", "role": "portfolio_manager"},
    {"full_name": "Merete Sunde", "email": "merete.sunde@medvik.kommune.no", "role": "portfolio_manager"},
    {"full_name": "Trond Aasheim", "email": "trond.aasheim@medvik.kommune.no", "role": "admin"},
]

# Staff whose role is limited to some municipal areas (by the areas' bokmål names): they see
# and act on those areas' ideas, reports and projects only. The other staff have the whole
# municipality. (Both sit in the health competence group.)
STAFF_AREAS = {
    "espen.rasmussen-tjelle@medvik.kommune.no": ["Helse og velferd"],
    "ola.fredrik.mo@medvik.kommune.no": ["Helse og velferd"],
}

# ---------------------------------------------------------------------------
# 4. Idea templates (what residents propose)
# ---------------------------------------------------------------------------

IDEA_TEMPLATES = [
    # --- Vei og trafikk -----------------------------------------------------
    {
        "title": "Tryggere skoleveier i Nordbygda",
        "service_area": "Vei og trafikk",
        "sdgs": [3, 11], "place": "Nordbygda",
        "body": "Skoleveien i Nordbygda mangler fortau på den siste strekningen ned mot skolen, og bilene holder ofte høyere fart enn 30. Om vinteren blir brøytekantene så høye at barna må gå ute i veibanen.\n\nJeg foreslår fortau eller en egen gangvei fra krysset ved butikken og ned til skolen, fartsdumper og bedre belysning. Mange foreldre kjører barna i dag fordi de ikke tør la dem gå, og det gjør trafikken enda verre.",
    },
    {
        "title": "Fortau langs Skoleveien fram til Nordbygda skole",
        "service_area": "Vei og trafikk",
        "sdgs": [3, 11], "place": "Skoleveien 4",
        "body": "Vi bor i Skoleveien 4, og hver morgen ser vi barn på sju–åtte år balansere på veiskulderen mens bilene passerer tett inntil. Et fortau på strekningen herfra og fram til skoleporten er ikke mye å be om. Det er rundt 400 meter, og grøfta på østsiden kan legges i rør.",
    },
    {
        "title": "Fartsdumper og 30-sone ved Sørvika skole",
        "service_area": "Vei og trafikk",
        "sdgs": [3, 11], "place": "Sørvika",
        "body": "Skoleveien forbi Sørvika skole er en rett strekning der mange kjører altfor fort, også når elevene kommer og går. Jeg foreslår 30-sone hele døgnet på strekningen, to eller tre fartsdumper og tydelige skilt. En fartsvisningstavle som viser farten til bilistene, kunne også hjulpet.",
    },
    {
        "title": "Opphøyd gangfelt med lys i Kirkeveien",
        "service_area": "Vei og trafikk",
        "sdgs": [3, 11], "place": "Kirkeveien",
        "body": "Gangfeltet i Kirkeveien ved bakeriet er nesten usynlig i mørket, og det er der mange eldre krysser for å komme til legekontoret. Et opphøyd gangfelt med egen belysning og refleksstolper ville gjort krysset mye tryggere, både for dem som går, og for bilistene.",
    },
    {
        "title": "Bedre strøing av fortau om vinteren",
        "service_area": "Vei og trafikk",
        "sdgs": [3, 11], "place": "Sentrum",
        "body": "Hver vinter blir fortauene i sentrum speilblanke, og det tar ofte flere dager før det blir strødd. Eldre blir sittende inne fordi de er redde for å falle, og legevakten får mange bruddskader. Kan fortauene prioriteres like høyt som kjørebanen, og kan det strøs med pukk tidlig om morgenen?",
    },
    {
        "title": "Sand på gangveiene før skolestart om morgenen",
        "service_area": "Vei og trafikk",
        "sdgs": [3, 4, 11], "place": "Nordbygda",
        "body": "Strøbilen kommer ofte først etter klokka ni, mens barna går til skolen fra halv åtte. På glatte morgener er skoleveien gjennom Nordbygda en ren skøytebane. Er det mulig å legge om ruta slik at gangveier og skoleveier strøs før skolestart?",
    },
    {
        "title": "Sammenhengende sykkelvei fra Nordbygda til Sentrum",
        "service_area": "Vei og trafikk",
        "sdgs": [3, 11, 13], "place": "Nordbygda",
        "body": "Det er bare sju kilometer fra Nordbygda til sentrum, og med elsykkel er det en kort tur. Likevel sykler nesten ingen, fordi man må dele fylkesveien med tungtrafikk på en smal skulder. En sammenhengende sykkelvei, gjerne langs den gamle veien ved fjorden, ville fått mange til å la bilen stå.\n\nKommunen kunne starte med de farligste strekningene og bygge ut etappevis.",
    },
    {
        "title": "Sykkelparkering med tak ved bussterminalen",
        "service_area": "Vei og trafikk",
        "sdgs": [11, 13], "place": "Bussterminalen",
        "body": "Vil vi at flere skal sykle til bussen, må sykkelen kunne stå tørt og trygt. I dag er det ti stativer uten tak ved terminalen, og de er alltid fulle. Et overbygd sykkelhotell med låsbare plasser og en enkel pumpestasjon ville vært et godt og rimelig tiltak.",
    },
    {
        "title": "Flere gatelys på turveien langs fjorden",
        "service_area": "Vei og trafikk",
        "sdgs": [3, 7, 11], "place": "Fjordparken",
        "body": "Turveien langs fjorden brukes av mange også etter mørkets frembrudd, både av folk som går tur med hund og av ungdom på vei hjem. Store deler av strekningen mellom Havna og Fjordparken er helt mørk fra oktober til mars. Flere gatelys, gjerne bevegelsesstyrt LED for å spare strøm, ville gjort turveien tryggere.",
    },
    {
        "title": "Belysning på gangstien gjennom Fjordparken",
        "service_area": "Vei og trafikk",
        "sdgs": [3, 11], "place": "Fjordparken",
        "body": "Gangstien gjennom Fjordparken er den korteste veien fra Vestre Lia til sentrum, men den er så mørk om kvelden at mange velger å gå omveien langs hovedveien. Jeg har selv snublet i røttene der i høst. Noen enkle lyktestolper ville gjort mye.",
    },
    {
        "title": "Hyppigere buss mellom Eidet og Sentrum",
        "service_area": "Vei og trafikk",
        "sdgs": [10, 11, 13], "place": "Eidet",
        "body": "Bussen fra Eidet går bare hver annen time, og siste avgang fra sentrum er 17.40. Det gjør det umulig å bo på Eidet uten bil hvis man jobber litt utenom vanlig arbeidstid eller vil være med på noe om kvelden. Kan kommunen jobbe for timesavganger og en sen avgang, i hvert fall fredag og lørdag?",
    },
    {
        "title": "Bestillingstransport i helgene for dem som bor spredt",
        "service_area": "Vei og trafikk",
        "sdgs": [10, 11], "place": None,
        "body": "I helgene går det nesten ikke buss til grendene. En bestillingstaxi eller minibuss som man kan bestille dagen før, til vanlig bussbillettpris, ville gjort det mulig for eldre og ungdom uten førerkort å komme seg til sentrum, på kino eller på besøk til familie.",
    },
    {
        "title": "Ladestasjoner for elbil ved Medvikhallen",
        "service_area": "Vei og trafikk",
        "sdgs": [7, 11, 13], "place": "Medvikhallen",
        "body": "Mange kjører til Medvikhallen på trening og kamper og blir stående der i to–tre timer. Det er et perfekt sted å lade, men i dag finnes det ikke en eneste ladestasjon. Fire til seks normalladere på parkeringsplassen ville blitt mye brukt.",
    },
    {
        "title": "Flere ladepunkter i sentrum for oss uten egen garasje",
        "service_area": "Vei og trafikk",
        "sdgs": [7, 11, 13], "place": "Sentrum",
        "body": "Vi som bor i leilighet i sentrum, har ikke mulighet til å lade hjemme. De to hurtigladerne ved kjøpesenteret har ofte kø. Kommunen kunne satt opp ladepunkter på de kommunale parkeringsplassene, gjerne med mulighet for lading over natta for beboere.",
    },
    {
        "title": "Innfartsparkering ved ferjekaia",
        "service_area": "Vei og trafikk",
        "sdgs": [11, 13], "place": "Havna",
        "body": "Mange pendler med ferja over fjorden, men parkeringen ved ferjekaia er full allerede klokka sju. Folk parkerer langs veien og skaper farlige situasjoner for dem som går til ferja. En større innfartsparkering, kanskje på den gamle lagertomta, ville løst mye.",
    },
    {
        "title": "Lavere fartsgrense gjennom Sørvika",
        "service_area": "Vei og trafikk",
        "sdgs": [3, 11], "place": "Sørvika",
        "body": "Gjennom Sørvika er fartsgrensen 50, men veien går tett inntil hus, butikk og bussholdeplass uten fortau. Jeg foreslår 40 km/t og en innsnevring ved butikken, slik at bilene faktisk senker farten der folk ferdes.",
    },
    {
        "title": "Bysykler i Medvik sentrum",
        "service_area": "Vei og trafikk",
        "sdgs": [3, 11, 13], "place": "Sentrum",
        "body": "Et lite bysykkelsystem med elsykler mellom Havna, sentrum, bussterminalen og sykehuset ville vært et fint supplement til bussen. Mange korte turer i sentrum tas i dag med bil fordi det er litt for langt å gå, særlig i bakkene opp mot sykehuset.",
    },
    {
        "title": "Reparer hullene i Industriveien",
        "service_area": "Vei og trafikk",
        "sdgs": [9, 11], "place": "Industriveien",
        "body": "Industriveien har så mange hull at man må kjøre i slalåm, og syklister må ut i midten av veien. Det er farlig, og vannet som blir stående i hullene, fryser om vinteren. Veien trenger nytt dekke, ikke bare lapping hver vår.",
    },
    {
        "title": "Trygg kryssing av fylkesveien for skolebarn på Eidet",
        "service_area": "Vei og trafikk",
        "sdgs": [3, 11], "place": "Eidet",
        "body": "Barna på Eidet må krysse fylkesveien for å komme til skolebussen. Det er ikke gangfelt, og bilene holder 70–80 km/t. Skoleveien er rett og slett ikke trygg. En undergang eller i det minste et lysregulert gangfelt trengs før det skjer en ulykke.",
    },
    # --- Plan og byggesak ---------------------------------------------------
    {
        "title": "Universell utforming av Rådhusplassen",
        "service_area": "Plan og byggesak",
        "sdgs": [10, 11], "place": "Rådhusplassen",
        "body": "Rådhusplassen har brostein, høye kanter og en trapp som eneste adkomst til inngangen på sørsiden. For oss som bruker rullestol eller rullator, er det nesten umulig å komme fram uten hjelp. Ved neste oppgradering må plassen utformes slik at alle kan bruke den: jevne flater, ledelinjer for synshemmede og en slak rampe.",
    },
    {
        "title": "Tilgang til stranda på Holmen for rullestolbrukere",
        "service_area": "Plan og byggesak",
        "sdgs": [3, 10, 11], "place": "Holmen badeplass",
        "body": "Jeg sitter i rullestol og vil gjerne bade sammen med barnebarna, men stien ned til Holmen badeplass er bratt og full av løs grus. En sti med fast dekke, en badebrygge med rampe og kanskje en strandrullestol til utlån ville gjort stranda tilgjengelig for mange flere.",
    },
    {
        "title": "Ikke bygg ned strandsonen i Sørvika",
        "service_area": "Plan og byggesak",
        "sdgs": [11, 14, 15], "place": "Sørvika",
        "body": "Det er lagt fram planer om nye fritidsboliger helt nede i fjæra i Sørvika. Strandsonen er et av de få stedene der folk fritt kan gå langs sjøen. Kommunen bør holde fast på byggeforbudet i 100-metersbeltet og heller sikre en sammenhengende kyststi.",
    },
    {
        "title": "Ta vare på de gamle sjøbodene i Havna",
        "service_area": "Plan og byggesak",
        "sdgs": [11], "place": "Havna",
        "body": "Sjøbodene i Havna er over hundre år gamle og er det som gir havneområdet sjel. Flere av dem forfaller fordi eierne ikke har råd til å vedlikeholde dem. Kommunen kunne regulere dem til bevaring og hjelpe eierne med å søke tilskudd fra Kulturminnefondet.",
    },
    {
        "title": "Raskere svar på enkle byggesøknader",
        "service_area": "Plan og byggesak",
        "sdgs": [9, 16], "place": None,
        "body": "Å få svar på en søknad om et lite tilbygg eller en garasje tar ofte lengre tid enn selve byggingen. Kunne kommunen hatt en egen hurtigfil for enkle saker, med fast saksbehandler og svar innen tre uker når søknaden er komplett?",
    },
    {
        "title": "Se byggesaker i kartet",
        "service_area": "Plan og byggesak",
        "sdgs": [11, 16], "place": None,
        "body": "Jeg vil gjerne vite hva som skal bygges i nabolaget mitt, uten å måtte lete gjennom postlister. Et kart på kommunens nettside der man kan klikke på en tomt og se søknader, vedtak og tegninger, ville gitt mye bedre innsyn i byggesakene.",
    },
    {
        "title": "Et torg og en møteplass i Nordbygda",
        "service_area": "Plan og byggesak",
        "sdgs": [11], "place": "Nordbygda",
        "body": "Nordbygda har skole, butikk og barnehage, men ingen plass der folk naturlig møtes. Den tomme plassen foran butikken kunne blitt et lite torg med benker, noen trær, plass til loppemarked om sommeren og juletre i desember.",
    },
    {
        "title": "Små, tilrettelagte leiligheter for eldre i sentrum",
        "service_area": "Plan og byggesak",
        "sdgs": [3, 10, 11], "place": "Sentrum",
        "body": "Mange eldre i grendene bor i store hus de ikke lenger klarer å vedlikeholde, men det finnes få små leiligheter i sentrum med heis og kort vei til butikk og lege. Kommunen bør legge til rette for slike boliger i sentrumsplanen, gjerne med et felles oppholdsrom.",
    },
    {
        "title": "Flere benker langs strandpromenaden",
        "service_area": "Plan og byggesak",
        "sdgs": [3, 10, 11], "place": "Havna",
        "body": "Strandpromenaden fra Havna og innover mot Fjordparken er fin å gå, men det er nesten ingen steder å sette seg. For eldre og folk med vondt i ryggen er det avgjørende å kunne hvile underveis. Én benk hver 200. meter, gjerne med armlener, ville gjort turen mulig for mange flere.",
    },
    {
        "title": "Sitteplasser for eldre på vei til butikken",
        "service_area": "Plan og byggesak",
        "sdgs": [3, 10, 11], "place": "Kirkeveien",
        "body": "Moren min på 84 går til butikken i Kirkeveien hver dag, men hun må stoppe og hvile flere ganger og har ingen steder å sette seg. Et par benker langs veien fra omsorgsboligene og ned til butikken ville gjort hverdagen enklere for mange.",
    },
    {
        "title": "Ny lekeplass i Fjordparken",
        "service_area": "Plan og byggesak",
        "sdgs": [3, 11], "place": "Fjordparken",
        "body": "Lekeapparatene i Fjordparken er slitt, og huska ble tatt bort for to år siden uten å bli erstattet. Parken er full av familier hver helg. En ny lekeplass med noe for både småbarn og større barn, og gjerne en universelt utformet karusell, ville blitt mye brukt.",
    },
    {
        "title": "Oppgrader lekeplassen i Vestre Lia",
        "service_area": "Plan og byggesak",
        "sdgs": [3, 11], "place": "Vestre Lia",
        "body": "Lekeplassen i Vestre Lia består av en sandkasse og en vippe fra 80-tallet. Det bor mange barnefamilier i borettslaget, og vi i styret er villige til å stille med dugnad hvis kommunen kan stå for lekeapparater og underlag.",
    },
    {
        "title": "Hundeluftegård i sentrum",
        "service_area": "Plan og byggesak",
        "sdgs": [11], "place": "Sentrum",
        "body": "Det blir stadig flere hunder i sentrum, og mange slippes løs i Fjordparken der barn leker. En inngjerdet hundeluftegård, for eksempel på gressletta bak bussterminalen, ville gitt hundene et sted å løpe og gjort parken tryggere for andre.",
    },
    {
        "title": "Faste grillplasser i Fjordparken",
        "service_area": "Plan og byggesak",
        "sdgs": [11, 12], "place": "Fjordparken",
        "body": "Folk griller på engangsgriller i parken og etterlater svidde flekker i gresset og mye søppel. Noen faste grillplasser med benker, bord og søppeldunker, slik mange byer har, ville gjort det både ryddigere og hyggeligere.",
    },
    # --- Klima og miljø -----------------------------------------------------
    {
        "title": "Gjenbruksstasjon med bytteskap på miljøstasjonen",
        "service_area": "Klima og miljø",
        "sdgs": [12, 13], "place": "Miljøstasjonen",
        "body": "Hver lørdag kaster folk fullt brukbare møbler, sykler og leker på miljøstasjonen. Hvis det fantes et eget gjenbrukstelt der man kunne sette fra seg og ta med seg ting gratis, ville mye fått et nytt liv i stedet for å bli brent.",
    },
    {
        "title": "Bytteloft for klær og utstyr i sentrum",
        "service_area": "Klima og miljø",
        "sdgs": [1, 12], "place": "Sentrum",
        "body": "Barn vokser ut av klær og sko hele tiden. Et fast bytteloft i sentrum, for eksempel i et ledig lokale på kjøpesenteret, der man kan levere og hente klær, sportsutstyr og leker, ville spart både lommeboka og miljøet. Frivillige kan kanskje drive det med litt støtte fra kommunen.",
    },
    {
        "title": "Mindre matsvinn i skolekantiner og sykehjem",
        "service_area": "Klima og miljø",
        "sdgs": [2, 12], "place": None,
        "body": "Jeg jobber på et kommunalt kjøkken og ser hvor mye mat som kastes hver dag. Kommunen kunne måle matsvinnet i alle kjøkkenene, tilpasse porsjonene og gi bort det som blir til overs, for eksempel via frivilligsentralen. Det sparer både penger og klima.",
    },
    {
        "title": "Henting av avfall etter strandrydding",
        "service_area": "Klima og miljø",
        "sdgs": [12, 14], "place": "Langøya",
        "body": "Vi er en gjeng som rydder strendene på Langøya hver vår. Det største problemet er å få fraktet søppelet bort; sekkene blir ofte stående i månedsvis. Kan kommunen hente avfallet etter ryddeaksjoner og kanskje låne ut en båt til de mest utilgjengelige strendene?",
    },
    {
        "title": "Kildesortering i Fjordparken og Havna",
        "service_area": "Klima og miljø",
        "sdgs": [11, 12], "place": "Fjordparken",
        "body": "I parken og på brygga finnes bare vanlige søppelbøtter, så flasker, bokser og plast havner i restavfallet. Søppelbøtter med sortering, og pantestativ der folk kan sette fra seg flasker til andre, ville vært et enkelt tiltak.",
    },
    {
        "title": "Trær og grønt i stedet for asfalt på torget",
        "service_area": "Klima og miljø",
        "sdgs": [11, 13, 15], "place": "Sentrum",
        "body": "Torget i sentrum er én stor asfaltflate som blir stekende varm om sommeren og står under vann når det regner mye. Noen store trær, regnbed og litt gress ville gjort torget triveligere og tatt unna overvannet.",
    },
    {
        "title": "Fjern rynkerosa fra strendene",
        "service_area": "Klima og miljø",
        "sdgs": [14, 15], "place": "Holmen badeplass",
        "body": "Rynkerose sprer seg raskt langs strendene våre og fortrenger den naturlige vegetasjonen. Flere steder på Holmen er stranda nesten grodd igjen. En organisert dugnad med kommunen som koordinator, og kunnskap om hvordan den fjernes riktig, ville gjort stor forskjell.",
    },
    {
        "title": "Landstrøm til båtene i Havna",
        "service_area": "Klima og miljø",
        "sdgs": [7, 13, 14], "place": "Havna",
        "body": "Fiskebåtene og ferja går på dieselaggregat når de ligger til kai, og det merkes på både støy og luft i Havna. Landstrøm, slik det er bygget ut i mange andre havner, ville kuttet utslippene og gjort havna til et bedre sted å bo.",
    },
    {
        "title": "Reparasjonskafé en gang i måneden",
        "service_area": "Klima og miljø",
        "sdgs": [12], "place": "Medvik bibliotek",
        "body": "I andre byer finnes reparasjonskafeer der frivillige hjelper deg med å fikse klær, lamper, sykler og småelektronikk. Biblioteket har lokaler og kunne vært en naturlig vert. Jeg kan selv bidra med sying og lapping.",
    },
    {
        "title": "Blomstereng i stedet for plen langs veikantene",
        "service_area": "Klima og miljø",
        "sdgs": [13, 15], "place": None,
        "body": "Kommunen klipper store plenarealer langs veier og i parker. Hvis noen av dem fikk bli blomstereng med stedegne arter, ville vi fått mer liv for bier og sommerfugler og samtidig spart mye klipping.",
    },
    {
        "title": "Publiser kommunens klimaregnskap på nett",
        "service_area": "Klima og miljø",
        "sdgs": [13, 16], "place": None,
        "body": "Det er vanskelig å vite om kommunen faktisk når klimamålene sine. Et enkelt klimaregnskap på nett, oppdatert hvert år, som viser utslipp fra bygg, transport og innkjøp, ville gjort det lettere for innbyggerne å følge med.",
    },
    # --- Vann og avløp ------------------------------------------------------
    {
        "title": "Stopp kloakkutslippene ved Holmen badeplass",
        "service_area": "Vann og avløp",
        "sdgs": [3, 6, 14], "place": "Holmen badeplass",
        "body": "Flere ganger hver sommer blir det frarådet å bade på Holmen på grunn av høye verdier av tarmbakterier. Slik jeg har forstått det, skyldes det overløp fra det gamle avløpsnettet når det regner mye. Holmen er vår viktigste badeplass, og bading der bør være trygt hele sommeren.",
    },
    {
        "title": "Drikkevannsfontener i sentrum og Fjordparken",
        "service_area": "Vann og avløp",
        "sdgs": [3, 6, 12], "place": "Fjordparken",
        "body": "Om sommeren er det mange som trener og leker i Fjordparken, men det er ingen steder å fylle vannflaska. Et par drikkevannsfontener ville redusert salget av vann på plastflaske og vært til glede for alle.",
    },
    {
        "title": "Varsel på SMS ved vannavbrudd",
        "service_area": "Vann og avløp",
        "sdgs": [6, 16], "place": None,
        "body": "Forrige uke var vannet borte en hel formiddag uten at vi visste noe om det på forhånd. Mange kommuner sender SMS til berørte adresser når de stenger vannet. Det burde Medvik også gjøre, både ved planlagte og akutte vannavbrudd.",
    },
    {
        "title": "Bedre håndtering av overvann i Kirkeveien",
        "service_area": "Vann og avløp",
        "sdgs": [6, 11, 13], "place": "Kirkeveien",
        "body": "Når det regner kraftig, blir Kirkeveien en elv, og flere kjellere har fått vann inn de siste årene. Sluk og rør ser ut til å være for små. Kommunen bør se på åpne løsninger som regnbed og grøfter i tillegg til større rør.",
    },
    {
        "title": "Vannprøver fra badeplassene på nett",
        "service_area": "Vann og avløp",
        "sdgs": [3, 6, 14], "place": None,
        "body": "Kommunen tar vannprøver på badeplassene, men resultatene er vanskelige å finne. En enkel side med et kart og grønt, gult eller rødt for hver badeplass, oppdatert etter hver prøve, ville vært til stor hjelp for småbarnsforeldre.",
    },
    {
        "title": "Skill avløp og overvann i Nordbygda",
        "service_area": "Vann og avløp",
        "sdgs": [6, 14], "place": "Nordbygda",
        "body": "I Nordbygda går regnvann og kloakk i samme rør, og renseanlegget flommer over når det regner. Det lukter vondt ved bekken og på stranda nedenfor. Det trengs en plan for å skille overvann og avløp, og en tidsplan vi kan forholde oss til.",
    },
    # --- Kultur og idrett ---------------------------------------------------
    {
        "title": "Åpent bibliotek på søndager",
        "service_area": "Kultur og idrett",
        "sdgs": [4, 11], "place": "Medvik bibliotek",
        "body": "Biblioteket er det eneste gratis innendørs møtestedet i sentrum, men det er stengt nettopp på søndager, når mange har tid. Jeg foreslår søndagsåpent i vinterhalvåret, for eksempel fra klokka 12 til 16, gjerne som meråpent bibliotek hvis det ikke er mulig med full bemanning.",
    },
    {
        "title": "Søndagsåpent bibliotek for småbarnsfamilier",
        "service_area": "Kultur og idrett",
        "sdgs": [4, 10], "place": "Medvik bibliotek",
        "body": "Vi er mange småbarnsforeldre som ikke rekker biblioteket på hverdagene. Søndagen er dagen vi har tid til å lese og leke med barna, men da er alt stengt, og alternativet blir kjøpesenteret. Kunne barneavdelingen vært åpen på søndager, gjerne med eventyrstund?",
    },
    {
        "title": "Meråpent bibliotek i Nordbygda",
        "service_area": "Kultur og idrett",
        "sdgs": [4, 11], "place": "Nordbygda",
        "body": "Bibliotekfilialen i Nordbygda er bare åpen to ettermiddager i uka. Med meråpent bibliotek, der man låser seg inn med lånekortet, kunne lokalet brukes fra morgen til kveld til lesing, lekser og små møter.",
    },
    {
        "title": "Kunstgressbane med lys i Sørvika",
        "service_area": "Kultur og idrett",
        "sdgs": [3, 11], "place": "Sørvika",
        "body": "Over hundre barn spiller fotball i Sørvika, men gressbanen er ubrukelig fra oktober til mai. En kunstgressbane med lys, med innfyll som ikke gir mikroplast, ville gitt barna et helårstilbud i eget nærmiljø.",
    },
    {
        "title": "Sandvolleyballbane i Fjordparken",
        "service_area": "Kultur og idrett",
        "sdgs": [3], "place": "Fjordparken",
        "body": "Om sommeren er det mange ungdommer som spiller volleyball på gresset i Fjordparken. En enkel sandvolleyballbane med nett og stolper ville vært billig å lage og gitt et fint sommertilbud for både ungdom og voksne.",
    },
    {
        "title": "Lysløype i Vestre Lia",
        "service_area": "Kultur og idrett",
        "sdgs": [3, 11], "place": "Vestre Lia",
        "body": "Skiløypene i Vestre Lia er fine, men uten lys kan de bare brukes i helgene store deler av vinteren. En lysløype på to–tre kilometer, gjerne med bevegelsesstyrt LED, ville gjort det mulig å gå på ski etter jobb og skole.",
    },
    {
        "title": "Badstu ved Holmen badeplass",
        "service_area": "Kultur og idrett",
        "sdgs": [3, 11], "place": "Holmen badeplass",
        "body": "Vinterbading har blitt populært i Medvik, og det møtes folk på Holmen nesten hver morgen. En badstu ved stranda, drevet av en forening og åpen for alle, ville gjort stedet til en møteplass hele året. Mange andre kystkommuner har gode erfaringer med dette.",
    },
    {
        "title": "Badebrygge og stupebrett i Havna",
        "service_area": "Kultur og idrett",
        "sdgs": [3, 11, 14], "place": "Havna",
        "body": "Det finnes ingen trygg plass å bade i Havna, selv om mange bor der. En flytebrygge med badetrapp og et lite stupebrett ved vestre molo ville gitt et badetilbud midt i sentrum, og kanskje gjort det lettere å lære barna å svømme.",
    },
    {
        "title": "Kino og kulturhus tilbake i sentrum",
        "service_area": "Kultur og idrett",
        "sdgs": [4, 11], "place": "Sentrum",
        "body": "Etter at kinoen i sentrum stengte, må vi kjøre en time for å se film. Kunne det gamle kinolokalet blitt et lite kulturhus med kino i helgene, konserter og plass til lag og foreninger?",
    },
    {
        "title": "Lokalhistoriske skilt langs kyststien",
        "service_area": "Kultur og idrett",
        "sdgs": [4, 11], "place": "Kyststien",
        "body": "Langs kyststien ligger gamle handelssteder, krigsminner og rester av fiskevær som få kjenner historien til. Små informasjonsskilt med tekst og bilder, og gjerne en QR-kode til mer stoff fra historielaget, ville gjort turen mer spennende.",
    },
    {
        "title": "Lengre åpningstider i svømmehallen",
        "service_area": "Kultur og idrett",
        "sdgs": [3], "place": "Medvikhallen",
        "body": "Svømmehallen er stengt for publikum de fleste ettermiddager fordi den er leid ut til klubber. Kunne det vært åpent for publikum én kveld til i uka, og tidlig om morgenen for dem som vil trene før jobb?",
    },
    {
        "title": "Skatepark ved Medvikhallen",
        "service_area": "Kultur og idrett",
        "sdgs": [3, 11], "place": "Medvikhallen",
        "body": "Det finnes ikke et eneste sted å skate i Medvik, så ungdommene bruker trappene ved rådhuset. En liten skatepark i betong på det åpne området ved Medvikhallen ville gitt dem et eget sted og et tilbud som ikke krever medlemskap.",
    },
    {
        "title": "Merkede turstier og turkart rundt Storvannet",
        "service_area": "Kultur og idrett",
        "sdgs": [3, 15], "place": "Storvannet",
        "body": "Stiene rundt Storvannet er fine, men dårlig merket, og hvert år går noen seg bort. Ordentlig merking, en liten parkeringsplass og et turkart ved innfallsporten ville fått flere ut på tur.",
    },
    # --- Kulturskole og fritid ----------------------------------------------
    {
        "title": "Kortere ventetid i kulturskolen",
        "service_area": "Kulturskole og fritid",
        "sdgs": [4, 10], "place": None,
        "body": "Datteren min har stått på venteliste til fiolin i to år. Mange barn gir opp før de får plass. Kan kulturskolen tilby gruppeundervisning eller korte introduksjonskurs mens man venter, slik at flere får begynne?",
    },
    {
        "title": "Fritidsklubb for ungdom i Sørvika",
        "service_area": "Kulturskole og fritid",
        "sdgs": [3, 10, 11], "place": "Sørvika",
        "body": "Ungdommen i Sørvika har ingen steder å være om kvelden bortsett fra bussholdeplassen og butikken. En fritidsklubb med en voksen til stede et par kvelder i uka, for eksempel i kjelleren på skolen, ville gitt dem et trygt sted å møtes.",
    },
    {
        "title": "Fritidskort til alle barn",
        "service_area": "Kulturskole og fritid",
        "sdgs": [1, 10], "place": None,
        "body": "Det finnes ordninger som skal dekke fritidsaktiviteter for barn i familier med dårlig råd, men mange vet ikke om dem, og søknaden er tungvint. Kommunen kunne gitt alle barn et fritidskort med et fast beløp, så ingen må søke om å få være med.",
    },
    {
        "title": "Øvingslokale for band og unge musikere",
        "service_area": "Kulturskole og fritid",
        "sdgs": [4, 11], "place": "Sentrum",
        "body": "Det finnes ingen steder i Medvik der et band kan øve uten å plage naboene. Et lydisolert øvingslokale med trommesett og forsterkere, som man kan booke på nett, ville betydd mye for unge musikere.",
    },
    {
        "title": "Åpen hall på fredagskvelder",
        "service_area": "Kulturskole og fritid",
        "sdgs": [3, 10], "place": "Medvikhallen",
        "body": "Mange ungdommer har ingenting å gjøre på fredagskvelder. Hvis hallen var åpen for fri lek, basket, fotball og musikk fra klokka 19 til 23, med voksne vakter fra idrettslaget, ville det vært et trygt og rusfritt tilbud.",
    },
    {
        "title": "Kulturskoletimer i Nordbygda",
        "service_area": "Kulturskole og fritid",
        "sdgs": [4, 10], "place": "Nordbygda",
        "body": "All undervisning i kulturskolen foregår i sentrum, og for oss i Nordbygda betyr det at foreldre må kjøre fram og tilbake midt på ettermiddagen. Kunne lærerne komme til Nordbygda skole en dag i uka, rett etter skoletid?",
    },
    {
        "title": "Utlånssentral for sports- og friluftsutstyr",
        "service_area": "Kulturskole og fritid",
        "sdgs": [3, 10, 12], "place": "Sentrum",
        "body": "Ski, skøyter, telt og sykkelhjelmer er dyrt, og barn vokser fort ut av utstyret. En gratis utlånssentral der man kan låne utstyr for en uke av gangen, ville gjort det lettere for alle å være med på aktiviteter.",
    },
    {
        "title": "Ferieaktiviteter for barn som ikke reiser bort",
        "service_area": "Kulturskole og fritid",
        "sdgs": [1, 3, 10], "place": None,
        "body": "Hver sommer er det mange barn som er hjemme hele ferien mens klassekameratene reiser. En ferieklubb med turer, bading og aktiviteter noen uker i juli, gratis eller rimelig, ville gitt dem noe å se fram til.",
    },
    {
        "title": "Eget budsjett for ungdomsrådet",
        "service_area": "Kulturskole og fritid",
        "sdgs": [4, 16], "place": None,
        "body": "Ungdomsrådet gir gode råd, men har ingen penger å rå over. Et lite årlig budsjett som ungdommene selv fordeler til tiltak for ungdom, ville gjort rådet mer reelt og lært dem mye om hvordan lokaldemokratiet fungerer.",
    },
    # --- Grunnskole ---------------------------------------------------------
    {
        "title": "Skolehage ved Sentrum skole",
        "service_area": "Grunnskole",
        "sdgs": [2, 4, 12], "place": "Sentrum skole",
        "body": "Bak Sentrum skole er det et ubrukt gressområde. Der kunne elevene dyrket grønnsaker, urter og blomster og lært om mat, natur og klima på en praktisk måte. Pensjonistforeningen har medlemmer som gjerne hjelper til med høybed og vanning om sommeren.",
    },
    {
        "title": "Frukt og grønt i skolen hver dag",
        "service_area": "Grunnskole",
        "sdgs": [2, 3, 4], "place": None,
        "body": "Mange elever kommer på skolen uten å ha spist frokost. En enkel ordning med frukt eller grønnsaker hver dag ville gitt bedre konsentrasjon og jevnet ut forskjeller mellom barna.",
    },
    {
        "title": "Leksehjelp med frivillige på biblioteket",
        "service_area": "Grunnskole",
        "sdgs": [4, 10], "place": "Medvik bibliotek",
        "body": "Ikke alle foreldre har mulighet til å hjelpe med lekser, for eksempel fordi de ikke kan godt nok norsk ennå. Leksehjelp på biblioteket to ettermiddager i uka, med frivillige pensjonerte lærere og studenter, ville gjort stor forskjell.",
    },
    {
        "title": "Flere aktiviteter i friminuttene",
        "service_area": "Grunnskole",
        "sdgs": [3, 4], "place": None,
        "body": "Det er bra at mobilen er borte i skoletiden, men skolegården på mange av skolene våre er nesten tom for utstyr. Balltavler, klatrestativ, husker og en kasse med utstyr til utlån ville fått flere elever i aktivitet.",
    },
    {
        "title": "Svømmeopplæring for alle før 4. trinn",
        "service_area": "Grunnskole",
        "sdgs": [3, 4, 14], "place": "Medvikhallen",
        "body": "Mange barn i Medvik kan ikke svømme når de går ut av barneskolen, selv om vi bor ved sjøen. Intensive svømmekurs på småtrinnet, med transport fra grendeskolene til svømmehallen, burde vært en selvfølge.",
    },
    {
        "title": "Skolebussen fra Eidet går for tidlig",
        "service_area": "Grunnskole",
        "sdgs": [4, 11], "place": "Eidet",
        "body": "Skolebussen fra Eidet går 07.05, og barna står utenfor skolen i nesten en halvtime før den åpner. Om vinteren er det mørkt og kaldt. Kan ruta justeres, eller kan skolen åpne tidligere for dem som kommer med bussen?",
    },
    {
        "title": "Sykkelopplæring for alle elever på 4. trinn",
        "service_area": "Grunnskole",
        "sdgs": [3, 4, 11], "place": None,
        "body": "Flere barn sykler til skolen nå, men mange kan ikke trafikkreglene. Sykkelopplæring i skolen, gjerne sammen med Trygg Trafikk og politiet, ville gjort skoleveien tryggere for alle.",
    },
    {
        "title": "Gå til skolen-aksjon hver høst",
        "service_area": "Grunnskole",
        "sdgs": [3, 11, 13], "place": None,
        "body": "Hvis flere barn går eller sykler, blir det mindre trafikk rundt skolene og tryggere for alle. En fast aksjonsuke hver høst, med premie til klassen som går mest, og «gåbuss» der voksne følger grupper langs skoleveien, ville vært et enkelt og billig tiltak.",
    },
    {
        "title": "Praktisk læring sammen med lokale bedrifter",
        "service_area": "Grunnskole",
        "sdgs": [4, 8], "place": None,
        "body": "Ungdomsskoleelever kunne fått besøke og jobbe noen dager i bedriftene våre: på fiskemottaket, verkstedet, bakeriet eller byggeplassen. Det gir motivasjon i skolefagene og viser at det finnes spennende jobber i Medvik.",
    },
    {
        "title": "SFO åpen hele sommerferien",
        "service_area": "Grunnskole",
        "sdgs": [4, 5, 8], "place": None,
        "body": "SFO er stengt i fire uker om sommeren, mens de fleste foreldre har tre uker ferie. Det skaper stress for familier uten besteforeldre i nærheten. En felles sommer-SFO på én av skolene kunne vært en løsning.",
    },
    # --- Barnehage ----------------------------------------------------------
    {
        "title": "Digital søknad om barnehageplass",
        "service_area": "Barnehage",
        "sdgs": [4, 16], "place": None,
        "body": "I dag må vi fylle ut et PDF-skjema, skrive det ut og levere det på servicetorget for å søke om barnehageplass. Det burde være mulig å søke digitalt med BankID, se hvor i køen man står og få svar på e-post.\n\nMange andre kommuner har dette allerede, og det ville spart både foreldre og saksbehandlere for mye tid.",
    },
    {
        "title": "Enklere å søke og bytte barnehageplass på nett",
        "service_area": "Barnehage",
        "sdgs": [4, 16], "place": "Sørvika",
        "body": "Vi flyttet fra sentrum til Sørvika i fjor og ønsket å bytte barnehage. Det tok tre telefoner og to e-poster før vi fikk vite at vi måtte sende et nytt skjema. Kan kommunen lage en nettløsning der man kan søke, bytte og si opp plass på ett sted, og se status underveis?",
    },
    {
        "title": "Barnehagens uteområde åpent for nabolaget på kveldstid",
        "service_area": "Barnehage",
        "sdgs": [3, 11], "place": "Vestre Lia",
        "body": "Barnehagen i Vestre Lia har en flott uteplass som står tom hver kveld og helg, mens nærmeste lekeplass ellers er en kilometer unna. Kunne porten vært åpen etter stengetid, med noen enkle regler og en ryddeavtale med borettslaget?",
    },
    {
        "title": "Faste turdager i alle barnehager",
        "service_area": "Barnehage",
        "sdgs": [3, 4, 15], "place": None,
        "body": "Vi har skog og fjære rett utenfor døra i Medvik. Jeg foreslår at alle barnehager får minst én fast turdag i uka, med gapahuk, bålplass og tørkerom for klærne. Det gir bevegelse, språktrening og kunnskap om naturen.",
    },
    {
        "title": "Flere barnehageplasser i Nordbygda",
        "service_area": "Barnehage",
        "sdgs": [4, 5, 11], "place": "Nordbygda",
        "body": "Nordbygda har fått mange nye barnefamilier de siste årene, men barnehagen har ikke blitt større. I år fikk flere familier tilbud om plass i sentrum, som betyr to mil kjøring hver vei i rushtiden. Det trengs en ny avdeling eller en midlertidig paviljong.",
    },
    {
        "title": "Lokal mat og mindre sukker i barnehagene",
        "service_area": "Barnehage",
        "sdgs": [2, 3, 12], "place": None,
        "body": "Kunne barnehagene samarbeide med gårdene i bygda og fiskemottaket i Havna om råvarer? Barna kan være med og lage maten, og vi får mindre ferdigmat med mye sukker og salt.",
    },
    {
        "title": "Åpen barnehage for foreldre i permisjon",
        "service_area": "Barnehage",
        "sdgs": [3, 5, 10], "place": "Sentrum",
        "body": "Det finnes ingen åpen barnehage i Medvik etter at den i kjelleren på kirkestua ble lagt ned. For mange foreldre i permisjon, særlig dem som er nye i kommunen, var det det eneste stedet å bli kjent med andre. Kan den gjenopprettes, gjerne sammen med helsestasjonen?",
    },
    {
        "title": "Språkstøtte for flerspråklige barn i barnehagen",
        "service_area": "Barnehage",
        "sdgs": [4, 10], "place": None,
        "body": "Flere barnehager i Medvik har mange barn med et annet morsmål enn norsk. Med mer tid til språkarbeid, flerspråklige assistenter og bøker på flere språk kan barna få et godt grunnlag før skolestart.",
    },
    # --- Sykehjem og omsorg -------------------------------------------------
    {
        "title": "Besøksvenn for ensomme eldre",
        "service_area": "Sykehjem og omsorg",
        "sdgs": [3, 10], "place": None,
        "body": "Mange eldre som bor alene, kan gå dager uten å snakke med noen. En besøksvennordning, der frivillige får en fast person å besøke en gang i uka, finnes mange steder. Kommunen kunne samarbeide med frivilligsentralen og Røde Kors om å få det i gang.",
    },
    {
        "title": "Møteplass mot ensomhet blant eldre",
        "service_area": "Sykehjem og omsorg",
        "sdgs": [3, 10, 11], "place": "Sentrum",
        "body": "Etter at dagsenteret flyttet, har mange eldre ikke lenger et sted å gå. En åpen møteplass med kaffe, aviser og litt aktivitet noen formiddager i uka, gjerne på biblioteket eller i kantina på rådhuset, ville motvirket ensomhet.",
    },
    {
        "title": "Sansehage ved Solgløtt sykehjem",
        "service_area": "Sykehjem og omsorg",
        "sdgs": [3, 11], "place": "Solgløtt sykehjem",
        "body": "Beboerne på Solgløtt kommer sjelden ut fordi uteområdet er en parkeringsplass og en skråning. En sansehage med duftende planter, skjermede sitteplasser og stier som passer for rullator, ville gitt både beboere og pårørende et sted å være.",
    },
    {
        "title": "Barnehagebarn på besøk på sykehjemmet",
        "service_area": "Sykehjem og omsorg",
        "sdgs": [3, 4, 10], "place": "Solgløtt sykehjem",
        "body": "Da barnehagen hadde faste besøk på sykehjemmet, ble det sang, lek og mye latter. Ordningen stoppet under pandemien og har ikke kommet tilbake. Kunne den tas opp igjen, med faste besøk hver måned?",
    },
    {
        "title": "Felles middag for hjemmeboende eldre",
        "service_area": "Sykehjem og omsorg",
        "sdgs": [2, 3, 10], "place": None,
        "body": "Mange som bor alene hjemme, spiser dårlig. Felles middag et par ganger i uka i kantina på sykehjemmet, til en rimelig pris og med transport for dem som trenger det, ville gitt både god mat og selskap.",
    },
    {
        "title": "Sykkeltur for beboerne med el-rickshaw",
        "service_area": "Sykehjem og omsorg",
        "sdgs": [3, 10], "place": "Solgløtt sykehjem",
        "body": "Med en el-rickshaw kan frivillige ta med beboerne på sykkeltur langs fjorden, slik «Sykling uten alder» gjør i mange kommuner. Det gir frisk luft, opplevelser og gode samtaler. Vi i pensjonistforeningen stiller gjerne med syklister.",
    },
    {
        "title": "Faste ansatte i hjemmetjenesten",
        "service_area": "Sykehjem og omsorg",
        "sdgs": [3, 8], "place": None,
        "body": "Faren min får besøk av opptil femten ulike personer fra hjemmetjenesten i løpet av en måned. Det er utrygt for ham, og vi må forklare det samme om og om igjen. Mindre team med faste primærkontakter ville gitt bedre omsorg.",
    },
    {
        "title": "Musikk og kultur på sykehjemmet hver uke",
        "service_area": "Sykehjem og omsorg",
        "sdgs": [3, 10], "place": None,
        "body": "Beboerne blir glade når det kommer noen og synger eller spiller. Kulturskoleelevene og korene i kommunen kunne hatt en fast ukentlig konsert på sykehjemmene, gjerne som en del av opplæringen.",
    },
    # --- Helse og rehabilitering --------------------------------------------
    {
        "title": "Hjertestartere tilgjengelige døgnet rundt",
        "service_area": "Helse og rehabilitering",
        "sdgs": [3], "place": None,
        "body": "Flere hjertestartere henger inne i bygg som er låst om kvelden og i helgene. Kommunen burde flytte dem ut i varmeskap på veggen, registrere dem i hjertestarterregisteret og sette opp flere i grendene.",
    },
    {
        "title": "Turgrupper for folk med kroniske plager",
        "service_area": "Helse og rehabilitering",
        "sdgs": [3], "place": None,
        "body": "For oss med kroniske smerter eller dårlige lunger er det vanskelig å trene alene. Lavterskel turgrupper med fysioterapeut, i rolig tempo og på flate stier, ville gitt både bevegelse og fellesskap.",
    },
    {
        "title": "Lavterskel psykisk helsetilbud for unge",
        "service_area": "Helse og rehabilitering",
        "sdgs": [3, 10], "place": None,
        "body": "Det er lang ventetid for å få hjelp når man sliter psykisk. Mange unge trenger bare noen å snakke med før det blir alvorlig. Et drop-in-tilbud der man kan komme uten henvisning, gjerne ved helsestasjon for ungdom, ville hjulpet mange.",
    },
    {
        "title": "Helsesykepleier på skolen hver dag",
        "service_area": "Helse og rehabilitering",
        "sdgs": [3, 4], "place": None,
        "body": "På vår skole er helsesykepleieren bare til stede én dag i uka. Barn som trenger noen å snakke med, må vente, og da blir det ofte ikke noe av. Helsesykepleier hver dag på de største skolene burde være et minimum.",
    },
    {
        "title": "Vaksinering på kveldstid",
        "service_area": "Helse og rehabilitering",
        "sdgs": [3], "place": None,
        "body": "Det er vanskelig å ta fri fra jobb for å vaksinere seg selv eller barna. Noen kvelder med drop-in-vaksinering, for eksempel før influensasesongen, ville gitt høyere vaksinasjonsdekning i kommunen.",
    },
    {
        "title": "Trening for eldre i Medvikhallen",
        "service_area": "Helse og rehabilitering",
        "sdgs": [3], "place": "Medvikhallen",
        "body": "Styrke- og balansetrening forebygger fall, men det finnes nesten ingen tilbud for eldre i Medvik. En fast gruppe med instruktør to ganger i uka, i en sal i Medvikhallen, ville vært en god investering.",
    },
    {
        "title": "Fysioterapeut i Nordbygda én dag i uka",
        "service_area": "Helse og rehabilitering",
        "sdgs": [3, 10], "place": "Nordbygda",
        "body": "For eldre i Nordbygda er det tungvint og dyrt å komme seg til fysioterapeut i sentrum. Hvis en fysioterapeut kunne ha kontordag på helsestasjonen i Nordbygda, ville mange fått behandling de ellers dropper.",
    },
    {
        "title": "Røykfritt ved bussterminalen og lekeplassene",
        "service_area": "Helse og rehabilitering",
        "sdgs": [3, 11], "place": "Bussterminalen",
        "body": "Ved bussterminalen står folk og røyker tett inntil der barn og andre venter på bussen. Kommunen kunne innført røykfrie soner ved holdeplasser, lekeplasser og inngangspartier, slik mange andre kommuner har gjort.",
    },
    # --- NAV og sosiale tjenester -------------------------------------------
    {
        "title": "Språkkafé for nye innbyggere",
        "service_area": "NAV og sosiale tjenester",
        "sdgs": [4, 8, 10], "place": "Medvik bibliotek",
        "body": "Vi som har flyttet til Medvik fra andre land, lærer norsk på kurs, men har få steder å øve oss i vanlig samtale. En ukentlig språkkafé med frivillige ville gjort det lettere å bli kjent med folk og komme i jobb.",
    },
    {
        "title": "Arbeidstrening i kommunale kantiner",
        "service_area": "NAV og sosiale tjenester",
        "sdgs": [8, 10], "place": None,
        "body": "Mange som står utenfor arbeidslivet, trenger en mulighet til å prøve seg. Kommunens kantiner og kjøkken kunne tatt inn folk på arbeidstrening, med en fast veileder, og samtidig fått ekstra hender.",
    },
    {
        "title": "Rimelig busskort for dem med lav inntekt",
        "service_area": "NAV og sosiale tjenester",
        "sdgs": [1, 10, 11], "place": None,
        "body": "For mange med lav inntekt er et månedskort på bussen altfor dyrt, og da blir det vanskelig å komme seg til jobbintervju, lege eller aktiviteter. Et rabattert busskort for personer med sosialhjelp eller lav inntekt ville hjulpet.",
    },
    {
        "title": "Gjeldsrådgivning uten timebestilling",
        "service_area": "NAV og sosiale tjenester",
        "sdgs": [1, 10], "place": None,
        "body": "Det er flaut å ringe og be om hjelp med gjeld. En fast drop-in-dag for økonomisk rådgivning på NAV-kontoret eller biblioteket ville senket terskelen, slik at folk får hjelp før regningene går til inkasso.",
    },
    {
        "title": "Utleieboliger for unge i etableringsfasen",
        "service_area": "NAV og sosiale tjenester",
        "sdgs": [1, 11], "place": "Sentrum",
        "body": "Unge som vil bli boende i Medvik, finner nesten ikke rimelige leiligheter. Kommunen kunne bygge eller kjøpe noen små utleieboliger og tilby leie-til-eie, slik at de kan spare opp egenkapital og etablere seg her.",
    },
    {
        "title": "Sommerjobb for ungdom i kommunen",
        "service_area": "NAV og sosiale tjenester",
        "sdgs": [4, 8], "place": None,
        "body": "Mange ungdommer får ikke sommerjobb fordi de mangler erfaring. Kommunen kunne tilby sommerjobber på to uker: rydding, vedlikehold, hjelp på sykehjem og i parkene. Det gir første jobberfaring og noe meningsfullt å gjøre.",
    },
    {
        "title": "Fordel overskuddsmat fra butikkene",
        "service_area": "NAV og sosiale tjenester",
        "sdgs": [1, 2, 12], "place": None,
        "body": "Dagligvarebutikkene i Medvik kaster mye mat som fortsatt er god. Med et kjølerom og noen frivillige kunne maten hentes og deles ut til familier som trenger det, for eksempel via frivilligsentralen. Det ville redusert matsvinnet og hjulpet mange.",
    },
    {
        "title": "Klart språk i brev fra kommunen",
        "service_area": "NAV og sosiale tjenester",
        "sdgs": [10, 16], "place": None,
        "body": "Brevene fra kommunen er fulle av paragrafer og faguttrykk. Jeg har høyere utdanning og forstår dem knapt selv. Kan alle vedtaksbrev begynne med en kort forklaring i klart språk om hva vedtaket betyr og hva man kan gjøre videre?",
    },
    # --- IT og digitalisering -----------------------------------------------
    {
        "title": "Digitalt hjelpepunkt for seniorer",
        "service_area": "IT og digitalisering",
        "sdgs": [4, 10], "place": "Medvik bibliotek",
        "body": "Stadig mer må gjøres digitalt, fra bank til legetimer. Mange eldre sliter med BankID og apper. Et fast hjelpepunkt på biblioteket, der man kan komme med telefonen sin og få hjelp av ansatte eller frivillige, ville vært gull verdt.",
    },
    {
        "title": "Gratis trådløst nett i sentrum og Havna",
        "service_area": "IT og digitalisering",
        "sdgs": [9, 11], "place": "Havna",
        "body": "Turister, båtfolk og ungdom etterspør gratis nett. Et åpent trådløst nett på torget, i Havna og ved bussterminalen ville gjort sentrum mer attraktivt og gitt flere mulighet til å bruke digitale tjenester ute.",
    },
    {
        "title": "Én innlogging for alle kommunens tjenester",
        "service_area": "IT og digitalisering",
        "sdgs": [9, 16], "place": None,
        "body": "Jeg har egne innlogginger for barnehageportalen, skoleportalen, byggesak og vann og avløp. Det burde vært én «Min side» der jeg logger inn med ID-porten og ser alle sakene mine samlet.",
    },
    {
        "title": "Varsel om brøyting og veiarbeid på mobilen",
        "service_area": "IT og digitalisering",
        "sdgs": [9, 11], "place": None,
        "body": "Det hadde vært nyttig å få varsel når veien min skal stenges for graving, eller når brøytebilen kommer, slik at vi kan flytte bilen. En enkel abonnementstjeneste på SMS eller e-post ville spart mye frustrasjon.",
    },
    {
        "title": "Åpne data om kommunens økonomi",
        "service_area": "IT og digitalisering",
        "sdgs": [16], "place": None,
        "body": "Kommunebudsjettet ligger ute som lange PDF-er. Hvis tallene ble publisert som åpne data og i en enkel oversikt der man kan se hva pengene brukes til i hver tjeneste, ville det vært lettere å delta i debatten.",
    },
    {
        "title": "Chat med servicetorget",
        "service_area": "IT og digitalisering",
        "sdgs": [16], "place": None,
        "body": "Det er ofte lang kø på telefonen til servicetorget. En chat på kommunens nettside, bemannet i åpningstiden, ville gjort det enklere å få svar på enkle spørsmål uten å sitte i telefonkø i en halvtime.",
    },
    {
        "title": "Bedre mobildekning på Eidet",
        "service_area": "IT og digitalisering",
        "sdgs": [9, 11], "place": "Eidet",
        "body": "Deler av Eidet har nesten ikke mobildekning, og det er et problem for hjemmekontor, trygghetsalarmer og nødsamtaler. Kommunen bør presse på overfor operatørene og vurdere å stille kommunale bygg og tomter til disposisjon for master.",
    },
    # --- Innkjøp ------------------------------------------------------------
    {
        "title": "Mer lokalmat i kommunale innkjøp",
        "service_area": "Innkjøp",
        "sdgs": [2, 8, 12], "place": None,
        "body": "Kommunen kjøper mat for millioner hvert år til sykehjem, skoler og barnehager. Ved å dele opp anbudene kunne lokale gårder, bakerier og fiskemottak få levere, og maten får kortere vei til bordet.",
    },
    {
        "title": "Krav om utslippsfrie anleggsmaskiner",
        "service_area": "Innkjøp",
        "sdgs": [7, 12, 13], "place": None,
        "body": "Kommunen er en stor byggherre. Ved å stille krav om utslippsfrie eller fossilfrie anleggsmaskiner i nye kontrakter kan kommunen kutte utslipp og støy og samtidig drive fram ny teknologi hos leverandørene.",
    },
    {
        "title": "Enklere anbud for små lokale bedrifter",
        "service_area": "Innkjøp",
        "sdgs": [8, 9, 12], "place": None,
        "body": "Som liten bedrift orker vi sjelden å levere tilbud på kommunale anbud; dokumentasjonskravene er store og kontraktene for store for oss. Mindre delkontrakter og en årlig leverandørdag ville gjort det mulig for flere lokale bedrifter å delta.",
    },
    {
        "title": "Brukte møbler til kommunale kontorer",
        "service_area": "Innkjøp",
        "sdgs": [12], "place": None,
        "body": "Når kommunen pusser opp, kjøpes det ofte nye møbler, mens de gamle kastes. Krav om brukte eller ombrukte møbler der det er mulig, og en intern markedsplass for kommunale møbler, ville spart både penger og ressurser.",
    },
    {
        "title": "Lærlinger i kommunens kontrakter",
        "service_area": "Innkjøp",
        "sdgs": [4, 8], "place": None,
        "body": "Kommunen kan kreve at leverandører i bygg- og anleggskontrakter har lærlinger. Det gir ungdom i Medvik læreplasser og sikrer at vi har fagarbeidere også i framtida.",
    },
    # --- Eiendom ------------------------------------------------------------
    {
        "title": "Solceller på taket av Medvikhallen",
        "service_area": "Eiendom",
        "sdgs": [7, 13], "place": "Medvikhallen",
        "body": "Medvikhallen har et enormt flatt tak som vender mot sør. Solceller der kunne dekket en god del av strømforbruket i hallen og vist at kommunen tar klimamålene på alvor. Fjordlys Elektro og andre lokale firma kan sikkert levere.",
    },
    {
        "title": "Bedre inneklima på Sørvika skole",
        "service_area": "Eiendom",
        "sdgs": [3, 4], "place": "Sørvika skole",
        "body": "Klasserommene på Sørvika skole blir så varme og tette at elevene får hodepine etter et par timer. Ventilasjonsanlegget er fra 70-tallet. Skolen trenger nytt ventilasjonsanlegg før det bygges noe annet.",
    },
    {
        "title": "Tomme kommunale lokaler til frivilligheten",
        "service_area": "Eiendom",
        "sdgs": [11, 17], "place": "Sentrum",
        "body": "Kommunen har flere lokaler som står tomme store deler av uka, mens lag og foreninger mangler møterom og lager. En enkel bookingløsning der frivillige kan låne ledige rom gratis, ville vært et stort løft for frivilligheten.",
    },
    {
        "title": "Gymsalene åpne for lag og foreninger om kvelden",
        "service_area": "Eiendom",
        "sdgs": [3, 11, 17], "place": None,
        "body": "Gymsalene på grendeskolene står tomme hver kveld. Lagene våre trenger treningstid, men det er komplisert å få tilgang. Kunne kommunen ordne med elektroniske låser og en felles bookingside for alle kommunale saler?",
    },
    {
        "title": "Offentlige toaletter åpne hele året i Havna",
        "service_area": "Eiendom",
        "sdgs": [6, 10, 11], "place": "Havna",
        "body": "Toalettene i Havna stenger i september og åpner igjen i mai. Folk som er ute på tur, fiskere og turister har ingen steder å gå. Ett helårsåpent, universelt utformet toalett ville løst mye.",
    },
    {
        "title": "Etterisolering av gamle Eidet skole",
        "service_area": "Eiendom",
        "sdgs": [7, 13], "place": "Eidet",
        "body": "Gamle Eidet skole brukes som grendehus, men strømregningen er enorm fordi bygget er dårlig isolert og varmes opp med panelovner. Etterisolering, nye vinduer og varmepumpe ville betalt seg inn på få år.",
    },
    {
        "title": "Kafé og møtested i gamle Eidet skole",
        "service_area": "Eiendom",
        "sdgs": [11, 17], "place": "Eidet",
        "body": "Grendelaget ønsker å drive en liten kafé og et møtested i gamle Eidet skole, åpent for alle. Vi trenger en langsiktig leieavtale og hjelp til å få kjøkkenet godkjent. Bygda har mistet både butikk og postkontor og trenger et samlingspunkt.",
    },
]

# ---------------------------------------------------------------------------
# 5. Comments and replies (generic enough to fit under most ideas)
# ---------------------------------------------------------------------------

COMMENT_TEXTS = [
    "Helt enig! Dette har vært et problem i mange år, og det er på tide at noe skjer.",
    "Godt forslag. Jeg har opplevd akkurat det samme flere ganger.",
    "Støtter dette fullt ut. Vet noen omtrent hva det vil koste?",
    "Har dere tenkt på å søke om midler fra fylkeskommunen? Det finnes tilskuddsordninger for slike tiltak.",
    "Jeg er litt usikker. Det er sikkert fint, men er det dette vi skal bruke penger på når det mangler folk på sykehjemmene?",
    "Vi i velforeningen stiller gjerne opp på dugnad hvis kommunen står for materialene.",
    "Dette gjelder ikke bare her. Det samme trengs i Sørvika og på Eidet.",
    "Flott initiativ! Jeg har tre barn og kjenner meg godt igjen i det du skriver.",
    "Kanskje dette kan løses billigere ved å samarbeide med nabokommunen?",
    "Jeg bor rett ved og kan bekrefte at det er akkurat slik du beskriver.",
    "Er det noen som vet om kommunen har sett på dette før? Jeg mener det var oppe i kommunestyret for noen år siden.",
    "Bra at noen tar dette opp. Har stemt!",
    "Enig i behovet, men jeg tror løsningen bør være en annen. Bedre å starte i det små og se hvordan det går.",
    "Dette ville gjort hverdagen mye enklere for oss som ikke har bil.",
    "Husk at tiltaket også må vedlikeholdes. Hvem skal ha ansvaret etter at det er på plass?",
    "Moren min på 88 ville hatt stor glede av dette.",
    "Kan vi ikke bare prøve det ut i et år og evaluere etterpå?",
    "For et fint forslag. Det er sånne små ting som gjør et sted godt å bo.",
    "Jeg har sett en liknende løsning i en annen kommune, og den fungerte veldig bra.",
    "Det er lett å være enig, men noen må prioritere. Hva skal vi gjøre mindre av?",
    "Stemt! Håper kommunen svarer raskt på denne.",
    "Vi tok dette opp på foreldremøtet, og det er stor støtte blant foreldrene.",
    "Hvis dette blir noe av, må det være universelt utformet fra starten av.",
    "Dette har vi ventet på lenge. Takk for at du skrev det så tydelig.",
    "Jeg tror ikke det er så dyrt som mange tror. Mye kan gjøres med enkle grep.",
    "Godt tenkt, men jeg er bekymret for støy for naboene. Har noen spurt dem?",
    "Pensjonistforeningen støtter dette, og vi kan bidra med frivillige.",
    "Som ungdom kan jeg si at dette ville betydd mye for oss.",
    "Det viktigste er at det blir trygt. Resten kan komme etter hvert.",
    "Dette henger sammen med flere andre forslag her inne. Kanskje kommunen kan se dem i sammenheng?",
    "Hva med å la elevene på skolen være med på planleggingen?",
    "Jeg var skeptisk først, men etter å ha lest forslaget er jeg overbevist.",
    "Her må kommunen kanskje også snakke med fylkeskommunen, hvis det er de som har ansvaret.",
    "Kan kommunen gi en tilbakemelding på om dette allerede er planlagt?",
    "Kjempebra! Dette kan også gi noen arbeidsplasser lokalt.",
    "Jeg er enig i målet, men synes det bør finansieres med gaver og dugnad, ikke skattepenger.",
    "Dette burde vært gjort for lenge siden.",
    "Det er ikke bare eldre som trenger dette. Foreldre med barnevogn har også stor nytte av det.",
    "Vi flyttet hit for et år siden, og dette var noe av det første vi savnet.",
    "Et godt eksempel på at små tiltak kan gi stor effekt.",
    "Kan dette kombineres med noe som allerede finnes, så det ikke blir dobbelt opp?",
    "Tusen takk for at du tok initiativet. Jeg deler forslaget med naboene.",
    "Jeg ser ikke helt behovet selv, men skjønner at det er viktig for dem det gjelder.",
    "Lokale bedrifter kan sikkert bidra. Vi i næringsforumet tar det gjerne opp på neste møte.",
    "Hvor mange bruker dette i dag? Det hadde vært nyttig med noen tall.",
    "Det er viktig at de som bor i grendene også blir hørt, ikke bare sentrum.",
    "Det ville vært fint om kommunen kunne starte med en enkel prøveordning allerede i sommer.",
    "Barna mine snakker om dette hele tiden. De ville blitt så glade.",
    "Enig! Og gjerne med vekt på miljø og gjenbruk av materialer.",
    "Jeg har skrevet til kommunen om dette før uten å få svar. Håper det går bedre denne gangen.",
    "Dette vil også være bra for turismen om sommeren.",
    "Sikkert lurt, men husk driftskostnadene i årene etterpå.",
    "Støtter forslaget. Natur og Ungdom Medvik hjelper gjerne til.",
    "Vi må tenke på sikkerheten også, spesielt for de minste barna.",
    "Hva sier de som jobber med dette til daglig? De vet sikkert mye om hva som fungerer.",
    "Kjempeidé. Kan det også gjelde i helgene?",
    "Jeg er imot. Det vil føre til mer trafikk i et område som allerede er belastet.",
    "Det trengs, men rekkefølgen er viktig. Start der behovet er størst.",
    "Medvik IL kan gjerne være med og stille både utstyr og folk.",
    "God idé. Dette bør også tas med i neste kommuneplan.",
    "Dette er faktisk et folkehelsetiltak og burde prioriteres som det.",
    "Flott! Hvor kan man melde seg som frivillig?",
    "Jeg har sendt lenken til forslaget til kommunestyrerepresentanten vår.",
    "Jeg stemmer for, men forslaget kunne vært mer konkret på hvor det skal være.",
    "Jeg jobber i kommunen og vet at mange internt ønsker det samme. Stå på!",
    "Bra forslag, men la oss ikke glemme dem som ikke bruker nett. Informasjonen må også finnes på papir.",
]

REPLY_TEXTS = [
    "Helt enig med deg her.",
    "Godt poeng! Det hadde jeg ikke tenkt på.",
    "Jeg tror faktisk det finnes tilskudd til dette. Frivilligsentralen kan sikkert hjelpe med søknaden.",
    "Det var oppe i kommunestyret for noen år siden, men ble utsatt på grunn av økonomien, så vidt jeg husker.",
    "Jeg forstår bekymringen, men tror fordelene er større enn ulempene.",
    "Takk! Jeg melder meg gjerne som frivillig.",
    "Ikke enig. Vi har ikke råd til alt, og dette bør komme lenger ned på lista.",
    "Ta kontakt med oss i frivilligsentralen, så finner vi ut av det sammen.",
    "Det stemmer. Jeg så det selv i går.",
    "Kan du si litt mer om hvordan det fungerte der?",
    "Vi i velforeningen har snakket om det samme. Skal vi ta et møte?",
    "God idé å starte i det små.",
    "Driftskostnadene er et godt poeng, men det er ofte billigere enn man tror.",
    "Ja, naboene bør absolutt bli hørt. Kanskje et åpent møte?",
    "Jeg tror kommunen allerede jobber med noe liknende. Se prosjektet som er koblet til forslaget.",
    "Enig, og det bør gjelde hele året, ikke bare om sommeren.",
    "Bra at du spør. Jeg har lurt på det samme.",
    "Beklager, jeg uttrykte meg litt uklart. Jeg mente at begge deler trengs.",
    "Fint å høre fra noen som kjenner det fra innsiden.",
    "Jeg kan bidra med transport hvis det trengs.",
    "Vi har noe utstyr på lager som kan lånes ut gratis.",
    "Tallene står i kommunens årsrapport, hvis jeg ikke husker feil.",
    "Nettopp derfor er det så viktig at forslaget får mange stemmer.",
    "Enig i at det må være trygt, men det må ikke bli så dyrt at det aldri blir noe av.",
    "Godt spørsmål. Kanskje kommunen kan svare på det her?",
    "Vi kan ta dette opp på neste møte i FAU.",
    "Takk for støtten, alle sammen!",
    "Helt riktig. Og det gjelder også dem som bor på Eidet.",
    "Jeg ringte kommunen, og de sa at saken er til vurdering.",
    "Det er kanskje ikke enten–eller. Begge deler kan gjøres over tid.",
    "Godt sagt. Det er nettopp slike ting som gjør at folk blir boende.",
    "Jeg er ikke helt overbevist, men jeg følger med på hva kommunen svarer.",
    "Pensjonistforeningen kan stille med folk på dagtid, hvis det er til hjelp.",
    "Borettslaget i Vestre Lia er gjerne med på et spleiselag.",
]

# ---------------------------------------------------------------------------
# 6. Portfolio projects (descriptions are Markdown without raw HTML)
# ---------------------------------------------------------------------------

PROJECTS = [
    {
        "title": "Trygg skolevei i Nordbygda",
        "kind": "project",
        "owner": "Vei og trafikk",
        "participants": ["Grunnskole", "Plan og byggesak"],
        "phase": "in_progress", "progress": 45,
        "sdgs": [3, 11],
        "estimated_cost": 6_800_000, "public": True,
        "start_offset_days": -90, "duration_days": 240,
        "idea_keywords": ["skolevei", "fortau", "skoleveien"],
        "description": (
            "Fortau og fartsdempende tiltak langs Skoleveien, fra krysset ved butikken og ned til Nordbygda skole. Prosjektet svarer på flere innbyggerforslag om tryggere skolevei.\n\n"
            "- Nytt fortau på om lag 600 meter med kantstein\n"
            "- Tre fartsdumper og 30-sone\n"
            "- Ny LED-belysning langs hele strekningen\n"
            "- Prioritert brøyting og strøing av fortauet"
        ),
        "updates": [
            "Entreprenøren har rigget seg til ved krysset, og arbeidet er i gang.",
            "Grøfta på østsiden er lagt i rør, og kantsteinen er satt på de første 200 meterne.",
            "Fartsdumpene er på plass. Fortauet asfalteres så snart været tillater det.",
        ],
    },
    {
        "title": "Nytt fagsystem for barnehageopptak",
        "kind": "acquisition",
        "owner": "Barnehage",
        "participants": ["IT og digitalisering", "Innkjøp"],
        "phase": "planned", "progress": 10,
        "sdgs": [4, 16],
        "estimated_cost": 2_400_000, "public": True,
        "start_offset_days": 30, "duration_days": 365,
        "idea_keywords": ["barnehageplass", "søknad", "søke"],
        "description": (
            "Anskaffelse av et nytt fagsystem for søknad om og tildeling av barnehageplass. Dagens løsning krever papirskjema og mye manuell saksbehandling.\n\n"
            "- Digital søknad med innlogging via ID-porten\n"
            "- Oversikt over søknadsstatus og venteliste for foreldre\n"
            "- Bytte og oppsigelse av plass på nett\n"
            "- Integrasjon med sak- og arkivsystemet og Folkeregisteret"
        ),
        "updates": [
            "Behovsbeskrivelsen er ferdig, og vi har hatt dialogmøter med fire mulige leverandører.",
        ],
    },
    {
        "title": "Innkjøp av el-bysykler",
        "kind": "acquisition",
        "owner": "Vei og trafikk",
        "participants": ["Klima og miljø", "Innkjøp"],
        "phase": "proposed", "progress": 0,
        "sdgs": [3, 11, 13],
        "estimated_cost": 3_200_000, "public": True,
        "start_offset_days": 180, "duration_days": 270,
        "idea_keywords": ["bysykkel", "bysykler", "elsykler"],
        "description": (
            "Forslag om å anskaffe et bysykkelsystem med 80 elsykler og 10 stasjoner i sentrum og Havna, driftet av en ekstern leverandør.\n\n"
            "- Stasjoner ved bussterminalen, torget, Havna, sykehuset og Medvikhallen\n"
            "- Sesongdrift fra april til oktober\n"
            "- Rabatt for studenter og personer med lav inntekt\n"
            "- Evaluering etter første sesong"
        ),
        "updates": [],
    },
    {
        "title": "Digital læringsplattform for grunnskolen",
        "kind": "acquisition",
        "owner": "Grunnskole",
        "participants": ["IT og digitalisering", "Innkjøp"],
        "phase": "in_progress", "progress": 60,
        "sdgs": [4],
        "estimated_cost": 4_500_000, "public": True,
        "start_offset_days": -200, "duration_days": 400,
        "idea_keywords": ["læringsplattform", "skoleportalen"],
        "description": (
            "Felles læringsplattform for alle grunnskolene i Medvik. Den erstatter tre ulike systemer som brukes i dag.\n\n"
            "- Én innlogging for elever, lærere og foreldre\n"
            "- Meldinger, planer og vurdering på ett sted\n"
            "- Universelt utformet og tilgjengelig på bokmål og nynorsk\n"
            "- Opplæring av alle lærere før innføring"
        ),
        "updates": [
            "Kontrakten er signert etter en åpen anbudskonkurranse.",
            "Pilot er i gang på Sentrum skole og Sørvika skole.",
            "Alle lærerne på de to pilotskolene har fått opplæring.",
        ],
    },
    {
        "title": "Nytt saksbehandlingssystem for plan og byggesak",
        "kind": "acquisition",
        "owner": "Plan og byggesak",
        "participants": ["IT og digitalisering"],
        "phase": "planned", "progress": 15,
        "sdgs": [9, 16],
        "estimated_cost": 5_600_000, "public": True,
        "start_offset_days": 45, "duration_days": 420,
        "idea_keywords": ["byggesak", "byggesaker", "byggesøknader"],
        "description": (
            "Anskaffelse av nytt saksbehandlingssystem for plan- og byggesaker. Systemet skal gi kortere behandlingstid og bedre innsyn for innbyggerne.\n\n"
            "- Elektronisk mottak av søknader\n"
            "- Saksbehandling, maler og vedtak i ett system\n"
            "- Integrasjon med sak- og arkivsystemet og Altinn\n"
            "- Digitalt innsyn i egen sak og i byggesaker i kart"
        ),
        "updates": [
            "Markedsdialogen er gjennomført, og konkurransegrunnlaget ferdigstilles nå.",
        ],
    },
    {
        "title": "Nytt saksbehandlingssystem for sosiale tjenester",
        "kind": "acquisition",
        "owner": "NAV og sosiale tjenester",
        "participants": ["IT og digitalisering", "Helse og rehabilitering"],
        "phase": "proposed", "progress": 0,
        "sdgs": [10, 16],
        "estimated_cost": 4_900_000, "public": True,
        "start_offset_days": 120, "duration_days": 400,
        "idea_keywords": ["vedtaksbrev", "brev"],
        "description": (
            "Behov for nytt saksbehandlingssystem for sosiale tjenester, bostøtte og tildeling av kommunale boliger. Dagens løsning er utdatert og har ingen digital søknad.\n\n"
            "- Elektronisk mottak av søknader\n"
            "- Saksbehandling, maler og vedtak i ett system, med vedtaksbrev i klart språk\n"
            "- Integrasjon med sak- og arkivsystemet og Altinn\n"
            "- Digitalt innsyn i egen sak"
        ),
        "updates": [],
    },
    {
        "title": "Ladepunkter for elbil i sentrum og ved Medvikhallen",
        "kind": "project",
        "owner": "Klima og miljø",
        "participants": ["Vei og trafikk", "Eiendom"],
        "phase": "in_progress", "progress": 30,
        "sdgs": [7, 11, 13],
        "estimated_cost": 2_800_000, "public": True,
        "start_offset_days": -60, "duration_days": 300,
        "idea_keywords": ["ladestasjon", "ladepunkter", "lade"],
        "description": (
            "Utbygging av 40 normalladepunkter på kommunale parkeringsplasser, med prioritet for beboere uten egen parkering.\n\n"
            "- 16 ladepunkter ved Medvikhallen\n"
            "- 20 ladepunkter i sentrum, med nattlading for beboere\n"
            "- 4 ladepunkter for kommunens egne biler\n"
            "- Drift ved ekstern ladeoperatør"
        ),
        "updates": [
            "Avtale med ladeoperatør er inngått.",
            "Gravearbeidet for strømtilførsel ved Medvikhallen er i gang.",
        ],
    },
    {
        "title": "Digitalt tilsyn og trygghetsalarmer i hjemmetjenesten",
        "kind": "acquisition",
        "owner": "Sykehjem og omsorg",
        "participants": ["IT og digitalisering", "Helse og rehabilitering"],
        "phase": "in_progress", "progress": 55,
        "sdgs": [3, 9],
        "estimated_cost": 3_600_000, "public": True,
        "start_offset_days": -240, "duration_days": 480,
        "idea_keywords": ["hjemmetjenesten", "trygghetsalarmer"],
        "description": (
            "Anskaffelse og innføring av velferdsteknologi for hjemmeboende: digitale trygghetsalarmer, sensorer og digitalt nattilsyn for dem som ønsker det.\n\n"
            "- Nye digitale trygghetsalarmer for alle brukere\n"
            "- Frivillig digitalt tilsyn som alternativ til fysiske nattbesøk\n"
            "- Felles responssenter med nabokommunene\n"
            "- Opplæring av ansatte og pårørende"
        ),
        "updates": [
            "Alle analoge trygghetsalarmer er byttet ut.",
            "De første brukerne har tatt i bruk digitalt nattilsyn.",
        ],
    },
    {
        "title": "Elbiler til hjemmetjenesten",
        "kind": "acquisition",
        "owner": "Sykehjem og omsorg",
        "participants": ["Innkjøp", "Klima og miljø"],
        "phase": "completed", "progress": 100,
        "sdgs": [7, 13],
        "estimated_cost": 2_100_000, "public": True,
        "start_offset_days": -400, "duration_days": 180,
        "idea_keywords": ["elbil", "hjemmetjenesten"],
        "description": (
            "Utskifting av 14 fossilbiler i hjemmetjenesten med elbiler, med lading ved basen på Solgløtt.\n\n"
            "- 14 leasede elbiler med firehjulstrekk\n"
            "- 14 ladepunkter ved hjemmetjenestebasen\n"
            "- Beregnet kutt på om lag 40 tonn CO₂ i året"
        ),
        "updates": [
            "Alle bilene er levert og i bruk.",
            "Den første vinteren er gjennomført uten problemer med rekkevidden.",
        ],
    },
    {
        "title": "Meråpent bibliotek i Nordbygda",
        "kind": "project",
        "owner": "Kultur og idrett",
        "participants": ["Eiendom", "IT og digitalisering"],
        "phase": "completed", "progress": 100,
        "sdgs": [4, 11],
        "estimated_cost": 850_000, "public": True,
        "start_offset_days": -500, "duration_days": 200,
        "idea_keywords": ["meråpent", "bibliotek"],
        "description": (
            "Filialen i Nordbygda er bygget om til meråpent bibliotek. Lånere over 15 år kan låse seg inn med lånekort og PIN-kode fra klokka 7 til 22 alle dager.\n\n"
            "- Adgangskontroll ved inngangen\n"
            "- Selvbetjent utlån og innlevering\n"
            "- Betjent to ettermiddager i uka som før"
        ),
        "updates": [
            "Meråpent bibliotek i Nordbygda er åpnet.",
            "Utlånet har økt med 60 prosent det første halvåret.",
        ],
    },
    {
        "title": "Søndagsåpent hovedbibliotek – prøveordning",
        "kind": "service_change",
        "owner": "Kultur og idrett",
        "participants": [],
        "phase": "in_progress", "progress": 50,
        "sdgs": [4, 10, 11],
        "estimated_cost": 420_000, "public": True,
        "start_offset_days": -45, "duration_days": 180,
        "idea_keywords": ["bibliotek", "søndager", "søndagsåpent"],
        "description": (
            "Prøveordning med åpent hovedbibliotek på søndager fra oktober til mars, klokka 12–16.\n\n"
            "- Betjent barneavdeling med eventyrstund annenhver søndag\n"
            "- Resten av biblioteket som meråpent\n"
            "- Telling av besøk og evaluering etter sesongen"
        ),
        "updates": [
            "Den første søndagen kom det 240 besøkende.",
        ],
    },
    {
        "title": "Ny gjenbruksstasjon med bytteloft",
        "kind": "project",
        "owner": "Klima og miljø",
        "participants": ["Eiendom", "NAV og sosiale tjenester"],
        "phase": "planned", "progress": 5,
        "sdgs": [12, 13],
        "estimated_cost": 7_500_000, "public": True,
        "start_offset_days": 90, "duration_days": 365,
        "idea_keywords": ["gjenbruk", "gjenbruksstasjon", "bytteloft"],
        "description": (
            "Ombygging av miljøstasjonen med et eget gjenbrukstelt der innbyggerne kan levere og hente brukbare ting gratis. Bytteloftet drives sammen med arbeidstreningen i NAV.\n\n"
            "- Gjenbrukstelt for møbler, sykler, leker og utstyr\n"
            "- Enkel reparasjon av sykler og småelektrisk\n"
            "- Arbeidstreningsplasser\n"
            "- Nytt kjøremønster på miljøstasjonen"
        ),
        "updates": [
            "Byggesøknaden er sendt.",
        ],
    },
    {
        "title": "Kartlegging av matsvinn i kommunale kjøkken",
        "kind": "study",
        "owner": "Klima og miljø",
        "participants": ["Sykehjem og omsorg", "Grunnskole"],
        "phase": "completed", "progress": 100,
        "sdgs": [2, 12],
        "estimated_cost": 350_000, "public": True,
        "start_offset_days": -300, "duration_days": 120,
        "idea_keywords": ["matsvinn", "overskuddsmat"],
        "description": (
            "Utredning av matsvinnet i sykehjem, skolekantiner og barnehager, med forslag til tiltak.\n\n"
            "- Veiing av matavfall i seks uker ved ni kjøkken\n"
            "- Intervjuer med kjøkkenansatte\n"
            "- Anbefalte tiltak og mål fram mot 2030"
        ),
        "updates": [
            "Rapporten er ferdig: matsvinnet utgjør om lag 22 prosent av maten som kjøpes inn.",
            "Tiltakene er tatt inn i handlingsplanen for klima og miljø.",
        ],
    },
    {
        "title": "Gatelys langs turveien i Fjordparken",
        "kind": "project",
        "owner": "Vei og trafikk",
        "participants": ["Kultur og idrett"],
        "phase": "completed", "progress": 100,
        "sdgs": [3, 7, 11],
        "estimated_cost": 1_250_000, "public": True,
        "start_offset_days": -420, "duration_days": 150,
        "idea_keywords": ["gatelys", "belysning", "lyktestolper"],
        "description": (
            "Ny belysning langs turveien fra Havna til Fjordparken og på gangstien gjennom parken.\n\n"
            "- 46 nye lyspunkter med LED\n"
            "- Lyset dempes til 30 prosent når ingen er i nærheten\n"
            "- Armaturer som skjermer lyset mot fjorden av hensyn til fuglelivet"
        ),
        "updates": [
            "Alle lyspunktene er montert og slått på.",
            "Prosjektet er avsluttet, og det ble litt rimeligere enn budsjettert.",
        ],
    },
    {
        "title": "Vinterdrift: skoleveier og fortau strøs først",
        "kind": "service_change",
        "owner": "Vei og trafikk",
        "participants": ["Grunnskole"],
        "phase": "in_progress", "progress": 70,
        "sdgs": [3, 11],
        "estimated_cost": 600_000, "public": True,
        "start_offset_days": -150, "duration_days": 365,
        "idea_keywords": ["strøing", "strøs", "glatte"],
        "description": (
            "Endret rekkefølge i vinterdriften, slik at skoleveier, fortau og gangveier strøs før klokka 07.30 på skoledager.\n\n"
            "- Ny rodeinndeling med prioriterte gangveier\n"
            "- Ett ekstra strøkjøretøy i morgentimene\n"
            "- Innbyggerne kan melde fra om glatte fortau på kommunens nettside"
        ),
        "updates": [
            "Den nye rodeinndelingen er tatt i bruk.",
            "Vi har fått mange positive tilbakemeldinger fra foreldre i Nordbygda.",
        ],
    },
    {
        "title": "Universell utforming av Rådhusplassen",
        "kind": "project",
        "owner": "Plan og byggesak",
        "participants": ["Eiendom", "Vei og trafikk"],
        "phase": "planned", "progress": 10,
        "sdgs": [10, 11],
        "estimated_cost": 9_800_000, "public": True,
        "start_offset_days": 60, "duration_days": 300,
        "idea_keywords": ["universell", "rullestol", "rådhusplassen"],
        "description": (
            "Oppgradering av Rådhusplassen slik at den kan brukes av alle.\n\n"
            "- Jevne flater i stedet for brostein\n"
            "- Slak rampe til inngangen på sørsiden\n"
            "- Ledelinjer og kontrastmerking for synshemmede\n"
            "- Flere benker med armlener og nye trær"
        ),
        "updates": [
            "Medvirkningsmøtet med rådet for personer med funksjonsnedsettelse er gjennomført.",
        ],
    },
    {
        "title": "Utredning av bedre kollektivtilbud til grendene",
        "kind": "study",
        "owner": "Vei og trafikk",
        "participants": ["Plan og byggesak", "NAV og sosiale tjenester"],
        "phase": "in_progress", "progress": 40,
        "sdgs": [10, 11, 13],
        "estimated_cost": 450_000, "public": True,
        "start_offset_days": -80, "duration_days": 200,
        "idea_keywords": ["buss", "bussen", "bestillingstaxi"],
        "description": (
            "Kommunen utreder sammen med fylkeskommunen hvordan kollektivtilbudet til grendene kan bli bedre.\n\n"
            "- Kartlegging av reisebehov på Eidet, i Sørvika og i Nordbygda\n"
            "- Vurdering av timesavganger og sene avganger i helgene\n"
            "- Vurdering av bestillingstransport\n"
            "- Anbefaling til fylkeskommunen"
        ),
        "updates": [
            "Spørreundersøkelsen fikk over 900 svar. Takk til alle som deltok!",
        ],
    },
    {
        "title": "Badstu og badebrygge på Holmen",
        "kind": "project",
        "owner": "Kultur og idrett",
        "participants": ["Eiendom", "Vann og avløp"],
        "phase": "proposed", "progress": 0,
        "sdgs": [3, 11],
        "estimated_cost": 1_900_000, "public": True,
        "start_offset_days": 200, "duration_days": 150,
        "idea_keywords": ["badstu", "badebrygge", "holmen"],
        "description": (
            "Forslag om flytende badstu og universelt utformet badebrygge ved Holmen badeplass, drevet av en frivillig forening.\n\n"
            "- Badstu med plass til 12 personer\n"
            "- Badebrygge med rampe og badetrapp\n"
            "- Leieavtale med en forening om driften\n"
            "- Forutsetter at utslippene ved Holmen er stoppet"
        ),
        "updates": [],
    },
    {
        "title": "Separering av avløp og overvann i Nordbygda",
        "kind": "project",
        "owner": "Vann og avløp",
        "participants": ["Klima og miljø", "Vei og trafikk"],
        "phase": "in_progress", "progress": 25,
        "sdgs": [6, 13, 14],
        "estimated_cost": 68_000_000, "public": True,
        "start_offset_days": -180, "duration_days": 1100,
        "idea_keywords": ["avløp", "overvann", "kloakk"],
        "description": (
            "Det gamle fellesledningsnettet i Nordbygda deles i egne ledninger for spillvann og overvann. Det stopper overløpet til bekken og ved Holmen badeplass.\n\n"
            "- 4,2 km nye ledninger, bygget i fire etapper\n"
            "- Oppgradering av pumpestasjonen ved Holmen\n"
            "- Åpne regnbed og fordrøyning der det er mulig\n"
            "- Ny asfalt og fortau der veiene graves opp"
        ),
        "updates": [
            "Etappe 1 ved skolen er ferdig.",
            "Etappe 2 starter etter fellesferien. Det blir omkjøring via Bakkeveien.",
        ],
    },
    {
        "title": "Solcelleanlegg på Medvikhallen",
        "kind": "project",
        "owner": "Eiendom",
        "participants": ["Klima og miljø", "Kultur og idrett"],
        "phase": "completed", "progress": 100,
        "sdgs": [7, 13],
        "estimated_cost": 3_400_000, "public": True,
        "start_offset_days": -600, "duration_days": 180,
        "idea_keywords": ["solceller", "solcelleanlegg"],
        "description": (
            "Solcelleanlegg på 2 800 m² av taket på Medvikhallen.\n\n"
            "- Installert effekt på om lag 500 kWp\n"
            "- Forventet produksjon på 400 000 kWh i året\n"
            "- Produksjonen vises på en skjerm i foajeen"
        ),
        "updates": [
            "Anlegget er satt i drift.",
            "Det første året produserte anlegget 412 000 kWh, litt mer enn forventet.",
        ],
    },
    {
        "title": "Energisparing i eldre skolebygg",
        "kind": "project",
        "owner": "Eiendom",
        "participants": ["Grunnskole", "Klima og miljø"],
        "phase": "in_progress", "progress": 35,
        "sdgs": [4, 7, 13],
        "estimated_cost": 12_500_000, "public": True,
        "start_offset_days": -120, "duration_days": 720,
        "idea_keywords": ["inneklima", "ventilasjonsanlegg", "etterisolering"],
        "description": (
            "Energi- og inneklimatiltak på Sørvika skole og gamle Eidet skole.\n\n"
            "- Nytt ventilasjonsanlegg med varmegjenvinning på Sørvika skole\n"
            "- Etterisolering og nye vinduer på gamle Eidet skole\n"
            "- Varmepumper og styring av varme og lys\n"
            "- Mål: 35 prosent lavere energibruk"
        ),
        "updates": [
            "Ventilasjonsanlegget på Sørvika skole monteres i sommerferien.",
        ],
    },
    {
        "title": "Besøksvenner i samarbeid med frivilligsentralen",
        "kind": "service_change",
        "owner": "Sykehjem og omsorg",
        "participants": ["NAV og sosiale tjenester"],
        "phase": "in_progress", "progress": 60,
        "sdgs": [3, 10, 17],
        "estimated_cost": 280_000, "public": True,
        "start_offset_days": -200, "duration_days": 365,
        "idea_keywords": ["ensomhet", "besøksvenn", "ensomme"],
        "description": (
            "Samarbeid med Medvik Frivilligsentral om besøksvenner for eldre som bor alene eller på sykehjem.\n\n"
            "- Koordinator i halv stilling ved frivilligsentralen\n"
            "- Kurs og taushetserklæring for alle besøksvenner\n"
            "- Hjemmetjenesten formidler kontakt med eldre som ønsker besøk"
        ),
        "updates": [
            "32 besøksvenner er i gang.",
            "Vi trenger flere frivillige i Sørvika og på Eidet.",
        ],
    },
    {
        "title": "Sansehage ved Solgløtt sykehjem",
        "kind": "project",
        "owner": "Sykehjem og omsorg",
        "participants": ["Eiendom"],
        "phase": "planned", "progress": 5,
        "sdgs": [3, 11],
        "estimated_cost": 1_100_000, "public": True,
        "start_offset_days": 40, "duration_days": 120,
        "idea_keywords": ["sansehage", "solgløtt"],
        "description": (
            "Opparbeiding av en sansehage på uteområdet ved Solgløtt sykehjem, utformet for personer med demens.\n\n"
            "- Rundløype med fast dekke og rekkverk\n"
            "- Duftende planter, frukttrær og høybed\n"
            "- Skjermede sitteplasser med tak\n"
            "- Dugnad med pensjonistforeningen og lokale bedrifter"
        ),
        "updates": [
            "Tegningene er ferdige og har vært på høring blant beboere og pårørende.",
        ],
    },
    {
        "title": "Fritidsklubb i Sørvika",
        "kind": "project",
        "owner": "Kulturskole og fritid",
        "participants": ["Eiendom", "Grunnskole"],
        "phase": "proposed", "progress": 0,
        "sdgs": [3, 10, 11],
        "estimated_cost": 2_600_000, "public": True,
        "start_offset_days": 150, "duration_days": 240,
        "idea_keywords": ["fritidsklubb", "ungdommen"],
        "description": (
            "Forslag om fritidsklubb i kjelleren på Sørvika skole, åpen to kvelder i uka.\n\n"
            "- Ombygging av kjelleren med kjøkken, sofakrok og spillrom\n"
            "- To ansatte i deltidsstillinger\n"
            "- Ungdommene er med og bestemmer innredning og aktiviteter"
        ),
        "updates": [],
    },
    {
        "title": "Utlånssentral for fritidsutstyr",
        "kind": "service_change",
        "owner": "Kulturskole og fritid",
        "participants": ["Kultur og idrett", "NAV og sosiale tjenester"],
        "phase": "completed", "progress": 100,
        "sdgs": [10, 12],
        "estimated_cost": 520_000, "public": True,
        "start_offset_days": -450, "duration_days": 120,
        "idea_keywords": ["utlånssentral", "utstyr"],
        "description": (
            "Gratis utlånssentral for sports- og friluftsutstyr i kjelleren på biblioteket.\n\n"
            "- Over 800 gjenstander: ski, skøyter, telt, sykler og hjelmer\n"
            "- Utlån i inntil én uke\n"
            "- Drives i samarbeid med Medvik Frivilligsentral"
        ),
        "updates": [
            "Utlånssentralen åpnet med kø ut døra!",
            "Over 2 000 utlån det første året.",
        ],
    },
    {
        "title": "Lavterskel psykisk helsetilbud for ungdom",
        "kind": "service_change",
        "owner": "Helse og rehabilitering",
        "participants": ["Grunnskole", "NAV og sosiale tjenester"],
        "phase": "in_progress", "progress": 50,
        "sdgs": [3, 10],
        "estimated_cost": 1_800_000, "public": True,
        "start_offset_days": -100, "duration_days": 365,
        "idea_keywords": ["psykisk", "helsesykepleier"],
        "description": (
            "Nytt drop-in-tilbud ved helsestasjon for ungdom, og mer tid til helsesykepleier på skolene.\n\n"
            "- Drop-in tirsdag og torsdag kl. 14–18, uten timebestilling eller henvisning\n"
            "- Helsesykepleier på ungdomsskolen hver dag\n"
            "- Chat med helsesykepleier én kveld i uka"
        ),
        "updates": [
            "Drop-in-tilbudet har åpnet.",
            "En ny helsesykepleier er ansatt og begynner etter nyttår.",
        ],
    },
    {
        "title": "Hjertestartere på utsiden av offentlige bygg",
        "kind": "acquisition",
        "owner": "Helse og rehabilitering",
        "participants": ["Eiendom", "Innkjøp"],
        "phase": "completed", "progress": 100,
        "sdgs": [3],
        "estimated_cost": 380_000, "public": True,
        "start_offset_days": -350, "duration_days": 90,
        "idea_keywords": ["hjertestartere", "hjertestarter"],
        "description": (
            "Innkjøp og montering av hjertestartere i varmeskap på utsiden av kommunale bygg, tilgjengelige døgnet rundt.\n\n"
            "- 18 nye hjertestartere, blant annet i alle grendene\n"
            "- Registrert i hjertestarterregisteret\n"
            "- Gratis førstehjelpskurs for innbyggerne"
        ),
        "updates": [
            "Alle hjertestarterne er montert og registrert.",
        ],
    },
    {
        "title": "Sammenhengende sykkelvei Nordbygda–Sentrum",
        "kind": "project",
        "owner": "Vei og trafikk",
        "participants": ["Plan og byggesak", "Klima og miljø"],
        "phase": "planned", "progress": 8,
        "sdgs": [3, 11, 13],
        "estimated_cost": 42_000_000, "public": True,
        "start_offset_days": 120, "duration_days": 900,
        "idea_keywords": ["sykkelvei", "sykler"],
        "description": (
            "Bygging av sju kilometer sammenhengende gang- og sykkelvei mellom Nordbygda og sentrum, i samarbeid med fylkeskommunen.\n\n"
            "- Reguleringsplan for hele strekningen\n"
            "- Bygging i tre etapper, med de farligste strekningene først\n"
            "- Belysning og rasteplass ved fjorden\n"
            "- Delfinansiering med statlige tilskudd"
        ),
        "updates": [
            "Reguleringsplanen er vedtatt i kommunestyret.",
        ],
    },
    {
        "title": "Ny lekeplass i Fjordparken",
        "kind": "project",
        "owner": "Kultur og idrett",
        "participants": ["Plan og byggesak"],
        "phase": "in_progress", "progress": 75,
        "sdgs": [3, 11],
        "estimated_cost": 2_300_000, "public": True,
        "start_offset_days": -70, "duration_days": 120,
        "idea_keywords": ["lekeplass", "lekeplassen", "lekeapparater"],
        "description": (
            "Ny lekeplass i Fjordparken for barn i alle aldre.\n\n"
            "- Universelt utformet karusell og kurvhuske\n"
            "- Klatrestativ og sklie for større barn\n"
            "- Støtdempende underlag\n"
            "- Benker og bord for foreldre"
        ),
        "updates": [
            "De gamle apparatene er fjernet.",
            "Underlaget er lagt, og de nye apparatene monteres nå.",
        ],
    },
    {
        "title": "Felles innlogging og Min side for innbyggere",
        "kind": "acquisition",
        "owner": "IT og digitalisering",
        "participants": ["Barnehage", "Plan og byggesak", "Vann og avløp"],
        "phase": "planned", "progress": 5,
        "sdgs": [9, 16],
        "estimated_cost": 3_900_000, "public": True,
        "start_offset_days": 100, "duration_days": 500,
        "idea_keywords": ["innlogging", "innlogginger"],
        "description": (
            "Innbyggerportal der innbyggerne logger inn med ID-porten og ser alle sine saker, søknader og fakturaer på ett sted.\n\n"
            "- Én innlogging for alle digitale tjenester\n"
            "- Oversikt over saker, søknader og vedtak\n"
            "- Varsling på SMS og e-post\n"
            "- Trinnvis innføring, med barnehage og byggesak først"
        ),
        "updates": [],
    },
    {
        "title": "Klimaregnskap og klimabudsjett",
        "kind": "study",
        "owner": "Klima og miljø",
        "participants": ["Innkjøp"],
        "phase": "completed", "progress": 100,
        "sdgs": [13, 16],
        "estimated_cost": 300_000, "public": True,
        "start_offset_days": -380, "duration_days": 150,
        "idea_keywords": ["klimaregnskap", "klimamålene"],
        "description": (
            "Kommunens første klimaregnskap, og et klimabudsjett som del av økonomiplanen.\n\n"
            "- Utslipp fra kommunens bygg, transport og innkjøp\n"
            "- Klimabudsjett med tiltak og ansvarlige\n"
            "- Årlig publisering på kommunens nettside"
        ),
        "updates": [
            "Klimaregnskapet er publisert.",
            "Klimabudsjettet ble vedtatt sammen med økonomiplanen.",
        ],
    },
    {
        "title": "Krav om fossilfrie anleggsplasser",
        "kind": "service_change",
        "owner": "Innkjøp",
        "participants": ["Vei og trafikk", "Klima og miljø", "Vann og avløp"],
        "phase": "in_progress", "progress": 40,
        "sdgs": [7, 12, 13],
        "estimated_cost": 150_000, "public": True,
        "start_offset_days": -90, "duration_days": 365,
        "idea_keywords": ["anleggsmaskiner", "utslippsfrie"],
        "description": (
            "Alle nye kommunale bygge- og anleggskontrakter skal stille krav om fossilfrie anleggsplasser og utslippsfrie maskiner der det er mulig.\n\n"
            "- Standardkrav i alle konkurransegrunnlag\n"
            "- Tildelingskriterium for utslippsfrie maskiner\n"
            "- Oppfølging og rapportering gjennom hele kontraktsperioden"
        ),
        "updates": [
            "Kravene er brukt i de to første konkurransene.",
        ],
    },
    {
        "title": "Landstrøm i Havna",
        "kind": "project",
        "owner": "Klima og miljø",
        "participants": ["Plan og byggesak", "Eiendom"],
        "phase": "proposed", "progress": 0,
        "sdgs": [7, 13, 14],
        "estimated_cost": 14_000_000, "public": True,
        "start_offset_days": 365, "duration_days": 540,
        "idea_keywords": ["landstrøm"],
        "description": (
            "Mulig utbygging av landstrøm ved ferjekaia og fiskerikaia, i samarbeid med havnevesenet og nettselskapet.\n\n"
            "- Landstrøm for ferja og fiskebåtene\n"
            "- Søknad om tilskudd fra Enova\n"
            "- Mindre støy og bedre luft i Havna"
        ),
        "updates": [],
    },
    {
        "title": "Kunstgressbane med lys i Sørvika",
        "kind": "project",
        "owner": "Kultur og idrett",
        "participants": ["Eiendom"],
        "phase": "cancelled", "progress": 10,
        "sdgs": [3, 11],
        "estimated_cost": 8_500_000, "public": True,
        "start_offset_days": -300, "duration_days": 240,
        "idea_keywords": ["kunstgressbane", "fotball"],
        "description": (
            "Planlagt kunstgressbane med lys ved Sørvika skole.\n\n"
            "- Sjuerbane med lys\n"
            "- Innfyll uten gummigranulat\n"
            "- Delfinansiering med spillemidler"
        ),
        "updates": [
            "Prosjektet er stanset fordi grunnforholdene var langt dårligere enn antatt.",
            "Kommunen ser på en annen tomt sammen med idrettslaget.",
        ],
    },
    {
        "title": "Nytt elev- og ventelistesystem for kulturskolen",
        "kind": "acquisition",
        "owner": "Kulturskole og fritid",
        "participants": ["IT og digitalisering"],
        "phase": "in_progress", "progress": 20,
        "sdgs": [4, 10],
        "estimated_cost": 480_000, "public": True,
        "start_offset_days": -30, "duration_days": 180,
        "idea_keywords": ["venteliste", "kulturskolen"],
        "description": (
            "Anskaffelse av et nettbasert system for søknad, venteliste, timeplaner og fakturering i kulturskolen.\n\n"
            "- Søknad og oversikt over ventelisten på nett\n"
            "- Automatisk fakturering med søskenmoderasjon\n"
            "- Registrering av oppmøte og meldinger til foresatte"
        ),
        "updates": [
            "Kontrakten er signert, og dataene fra det gamle systemet flyttes over.",
        ],
    },
    {
        "title": "Fagsystem for forvaltning, drift og vedlikehold av bygg",
        "kind": "acquisition",
        "owner": "Eiendom",
        "participants": ["IT og digitalisering"],
        "phase": "planned", "progress": 10,
        "sdgs": [9, 12],
        "estimated_cost": 1_700_000, "public": False,
        "start_offset_days": 60, "duration_days": 300,
        "idea_keywords": ["vedlikehold"],
        "description": (
            "Anskaffelse av et FDV-system for kommunens bygg, med oversikt over tilstand, vedlikeholdsplaner og serviceavtaler.\n\n"
            "- Tilstandsregistrering av alle formålsbygg\n"
            "- Vedlikeholdsplan for ti år\n"
            "- Energioppfølging per bygg"
        ),
        "updates": [],
    },
    {
        "title": "Nye pc-er og nettbrett til ansatte",
        "kind": "acquisition",
        "owner": "IT og digitalisering",
        "participants": ["Innkjøp"],
        "phase": "in_progress", "progress": 65,
        "sdgs": [12],
        "estimated_cost": 6_200_000, "public": False,
        "start_offset_days": -150, "duration_days": 240,
        "idea_keywords": ["nettbrett"],
        "description": (
            "Utskifting av rundt 900 pc-er og nettbrett, med krav om lang levetid og mulighet for reparasjon.\n\n"
            "- Rammeavtale med krav om sirkulære løsninger\n"
            "- Gamle enheter slettes sikkert og selges til ombruk\n"
            "- Innføring i faser, ett kommunalområde om gangen"
        ),
        "updates": [
            "Helse og velferd har fått nytt utstyr.",
            "Oppvekst og utdanning står for tur etter vinterferien.",
        ],
    },
    {
        "title": "Utredning av ny barnehage i Nordbygda",
        "kind": "study",
        "owner": "Barnehage",
        "participants": ["Plan og byggesak", "Eiendom"],
        "phase": "in_progress", "progress": 30,
        "sdgs": [4, 5, 11],
        "estimated_cost": 600_000, "public": True,
        "start_offset_days": -60, "duration_days": 240,
        "idea_keywords": ["barnehageplasser", "paviljong"],
        "description": (
            "Utredning av behovet for flere barnehageplasser i Nordbygda, med vurdering av utvidelse, ny barnehage eller midlertidig paviljong.\n\n"
            "- Befolkningsprognoser for de neste 15 årene\n"
            "- Vurdering av aktuelle tomter\n"
            "- Kostnader og konsekvenser for tre alternativer"
        ),
        "updates": [
            "Prognosene viser behov for 40–50 nye plasser innen fem år.",
        ],
    },
    {
        "title": "SMS-varsling ved vannavbrudd",
        "kind": "service_change",
        "owner": "Vann og avløp",
        "participants": ["IT og digitalisering"],
        "phase": "completed", "progress": 100,
        "sdgs": [6, 16],
        "estimated_cost": 190_000, "public": True,
        "start_offset_days": -260, "duration_days": 60,
        "idea_keywords": ["vannavbrudd", "sms"],
        "description": (
            "Innbyggerne får SMS når vannet stenges eller det er kokevarsel på adressen deres.\n\n"
            "- Automatisk varsel til alle registrerte mobilnumre på adressen\n"
            "- Varsel om både planlagte og akutte avbrudd\n"
            "- Mulig å legge til flere numre, for eksempel for hytta"
        ),
        "updates": [
            "Tjenesten er i drift.",
        ],
    },
    {
        "title": "Badevannskvalitet på nett",
        "kind": "service_change",
        "owner": "Vann og avløp",
        "participants": ["Helse og rehabilitering"],
        "phase": "in_progress", "progress": 50,
        "sdgs": [3, 6, 14],
        "estimated_cost": 60_000, "public": True,
        "start_offset_days": -20, "duration_days": 100,
        "idea_keywords": ["vannprøver", "badeplassene"],
        "description": (
            "Resultatene fra vannprøvene på badeplassene publiseres på kommunens nettside gjennom hele badesesongen.\n\n"
            "- Kart med grønn, gul eller rød status for hver badeplass\n"
            "- Oppdatering innen ett døgn etter hver prøve\n"
            "- Varsel ved badeforbud"
        ),
        "updates": [
            "Kartet er publisert for de fem største badeplassene.",
        ],
    },
    {
        "title": "Språkkafé og arbeidstrening for nye innbyggere",
        "kind": "service_change",
        "owner": "NAV og sosiale tjenester",
        "participants": ["Kultur og idrett"],
        "phase": "in_progress", "progress": 65,
        "sdgs": [4, 8, 10],
        "estimated_cost": 450_000, "public": True,
        "start_offset_days": -160, "duration_days": 365,
        "idea_keywords": ["språkkafé", "arbeidstrening"],
        "description": (
            "Ukentlig språkkafé på biblioteket og arbeidstreningsplasser i kommunale kantiner for nye innbyggere.\n\n"
            "- Språkkafé hver onsdag med frivillige verter\n"
            "- Ti arbeidstreningsplasser med fast veileder\n"
            "- Samarbeid med voksenopplæringen"
        ),
        "updates": [
            "Språkkafeen har i snitt 25 deltakere hver onsdag.",
        ],
    },
    {
        "title": "Omorganisering av servicetorget",
        "kind": "service_change",
        "owner": "IT og digitalisering",
        "participants": [],
        "phase": "proposed", "progress": 0,
        "sdgs": [16],
        "estimated_cost": 250_000, "public": False,
        "start_offset_days": 90, "duration_days": 180,
        "idea_keywords": ["servicetorget", "chat"],
        "description": (
            "Internt forslag om å samle telefon, chat og skranke i servicetorget til én felles innbyggerdialog.\n\n"
            "- Felles kø for telefon og chat\n"
            "- Flere saker løst ved første kontakt\n"
            "- Utvidet åpningstid to dager i uka"
        ),
        "updates": [],
    },
    {
        "title": "Nytt kvalitets- og avvikssystem for helse og velferd",
        "kind": "acquisition",
        "owner": "Helse og rehabilitering",
        "participants": ["Sykehjem og omsorg", "IT og digitalisering"],
        "phase": "planned", "progress": 5,
        "sdgs": [3, 16],
        "estimated_cost": 900_000, "public": False,
        "start_offset_days": 75, "duration_days": 270,
        "idea_keywords": ["avvik"],
        "description": (
            "Felles system for avviksmelding, prosedyrer og internkontroll i helse og velferd.\n\n"
            "- Melding av avvik fra mobil\n"
            "- Felles prosedyrebibliotek\n"
            "- Rapporter til ledelsen og kommunestyret"
        ),
        "updates": [],
    },
    {
        "title": "Benker langs strandpromenaden og til butikken",
        "kind": "project",
        "owner": "Plan og byggesak",
        "participants": ["Vei og trafikk", "Sykehjem og omsorg"],
        "phase": "completed", "progress": 100,
        "sdgs": [3, 10, 11],
        "estimated_cost": 340_000, "public": True,
        "start_offset_days": -330, "duration_days": 90,
        "idea_keywords": ["benker", "benk", "sitteplasser"],
        "description": (
            "Nye benker langs strandpromenaden og på gangveiene fra omsorgsboligene i Kirkeveien.\n\n"
            "- 24 nye benker med armlener\n"
            "- Høyst 200 meter mellom hver benk på promenaden\n"
            "- Plasseringen er avklart med eldrerådet"
        ),
        "updates": [
            "Alle benkene er på plass. Takk til eldrerådet for gode innspill!",
        ],
    },
    {
        "title": "Forprosjekt for nytt rådhus",
        "kind": "study",
        "owner": "Eiendom",
        "participants": ["Plan og byggesak", "IT og digitalisering"],
        "phase": "in_progress", "progress": 20,
        "sdgs": [11, 16],
        "estimated_cost": 2_500_000, "public": False,
        "start_offset_days": -40, "duration_days": 365,
        "idea_keywords": ["rådhuset"],
        "description": (
            "Forprosjekt for å samle kommunens administrasjon i et nytt eller ombygget rådhus.\n\n"
            "- Behovsanalyse for arealer og arbeidsplasser\n"
            "- Vurdering av tre tomtealternativer\n"
            "- Økonomisk sammenligning av leie, ombygging og nybygg"
        ),
        "updates": [],
    },
    {
        "title": "Trafikksikkerhetsplan for Medvik",
        "kind": "study",
        "owner": "Vei og trafikk",
        "participants": ["Grunnskole", "Plan og byggesak"],
        "phase": "in_progress", "progress": 80,
        "sdgs": [3, 11],
        "estimated_cost": 500_000, "public": True,
        "start_offset_days": -240, "duration_days": 300,
        "idea_keywords": ["skolevei", "gangfelt", "fartsgrense"],
        "description": (
            "Ny trafikksikkerhetsplan med prioriterte tiltak for de neste fire årene. Innspill fra innbyggerne på Medvirk er en viktig del av grunnlaget.\n\n"
            "- Kartlegging av alle skoleveier\n"
            "- Prioritert liste over fysiske tiltak\n"
            "- Holdningsskapende arbeid i barnehager og skoler\n"
            "- Søknad om trafikksikkerhetsmidler fra fylket"
        ),
        "updates": [
            "Kartleggingen av skoleveiene er ferdig, med over 300 innspill fra elever og foreldre.",
            "Planen er sendt på høring.",
        ],
    },
    {
        "title": "Henting av avfall etter ryddeaksjoner",
        "kind": "service_change",
        "owner": "Klima og miljø",
        "participants": ["Vann og avløp"],
        "phase": "completed", "progress": 100,
        "sdgs": [12, 14],
        "estimated_cost": 120_000, "public": True,
        "start_offset_days": -250, "duration_days": 60,
        "idea_keywords": ["strandrydding", "rydder", "ryddeaksjoner"],
        "description": (
            "Kommunen henter avfallet gratis etter registrerte ryddeaksjoner og låner ut båt til rydding på øyene.\n\n"
            "- Gratis sekker og hansker fra servicetorget\n"
            "- Henting innen en uke etter at aksjonen er meldt inn\n"
            "- Utlån av kommunens arbeidsbåt etter avtale"
        ),
        "updates": [
            "Ordningen er på plass. Meld fra om ryddeaksjonen på kommunens nettside, så henter vi sekkene.",
        ],
    },
    {
        "title": "Lysløype i Vestre Lia",
        "kind": "project",
        "owner": "Kultur og idrett",
        "participants": ["Eiendom"],
        "phase": "planned", "progress": 0,
        "sdgs": [3, 11],
        "estimated_cost": 2_200_000, "public": True,
        "start_offset_days": 200, "duration_days": 150,
        "idea_keywords": ["lysløype", "skiløypene"],
        "description": (
            "Lysløype på 2,5 kilometer i Vestre Lia, med bevegelsesstyrt LED-belysning.\n\n"
            "- Trasé i eksisterende skiløyper\n"
            "- Lyset slås på ved bevegelse og slukkes etter 30 minutter\n"
            "- Søknad om spillemidler og dugnad med idrettslaget"
        ),
        "updates": [],
    },
]

# ---------------------------------------------------------------------------
# 7. Local targets under the SDGs (Medvik's own delmål)
# ---------------------------------------------------------------------------

LOCAL_TARGETS = [
    {
        "sdg": 3, "code": "3.4-L1",
        "text_nb": "Andelen innbyggere over 67 år som er fysisk aktive minst 150 minutter i uka, skal øke hvert år fram mot 2030.",
        "text_nn": "Delen innbyggjarar over 67 år som er fysisk aktive minst 150 minutt i veka, skal auke kvart år fram mot 2030.",
        "text_en": "The share of residents over 67 who are physically active for at least 150 minutes a week shall increase every year towards 2030.",
    },
    {
        "sdg": 3, "code": "3.6-L1",
        "text_nb": "Ingen skal bli drept eller hardt skadd i trafikken på kommunale veier.",
        "text_nn": "Ingen skal bli drepen eller hardt skadd i trafikken på kommunale vegar.",
        "text_en": "No one shall be killed or seriously injured in traffic on municipal roads.",
    },
    {
        "sdg": 4, "code": "4.2-L1",
        "text_nb": "Alle barn som har rett til barnehageplass, skal få tilbud om plass i sitt eget nærmiljø.",
        "text_nn": "Alle born som har rett til barnehageplass, skal få tilbod om plass i sitt eige nærmiljø.",
        "text_en": "Every child entitled to a kindergarten place shall be offered one in their own neighbourhood.",
    },
    {
        "sdg": 4, "code": "4.1-L1",
        "text_nb": "Alle elever skal kunne svømme når de går ut av 4. trinn.",
        "text_nn": "Alle elevar skal kunne symje når dei går ut av 4. trinn.",
        "text_en": "All pupils shall be able to swim by the end of year 4.",
    },
    {
        "sdg": 4, "code": "4.5-L1",
        "text_nb": "Ingen barn skal stå på venteliste til kulturskolen i mer enn ett år.",
        "text_nn": "Ingen born skal stå på venteliste til kulturskulen i meir enn eitt år.",
        "text_en": "No child shall wait more than one year for a place at the municipal school of arts.",
    },
    {
        "sdg": 7, "code": "7.3-L1",
        "text_nb": "Energibruken i kommunale bygg skal reduseres med 20 prosent innen 2030, sammenlignet med 2020.",
        "text_nn": "Energibruken i kommunale bygg skal reduserast med 20 prosent innan 2030, samanlikna med 2020.",
        "text_en": "Energy use in municipal buildings shall be reduced by 20 per cent by 2030 compared with 2020.",
    },
    {
        "sdg": 7, "code": "7.2-L1",
        "text_nb": "Alle nye og rehabiliterte kommunale bygg med egnet tak skal ha solcelleanlegg.",
        "text_nn": "Alle nye og rehabiliterte kommunale bygg med eigna tak skal ha solcelleanlegg.",
        "text_en": "All new and refurbished municipal buildings with a suitable roof shall have solar panels.",
    },
    {
        "sdg": 11, "code": "11.2-L1",
        "text_nb": "Alle barn i Medvik skal ha en trygg skolevei som de kan gå eller sykle alene.",
        "text_nn": "Alle born i Medvik skal ha ein trygg skuleveg som dei kan gå eller sykle åleine.",
        "text_en": "Every child in Medvik shall have a safe route to school that they can walk or cycle on their own.",
    },
    {
        "sdg": 11, "code": "11.2-L2",
        "text_nb": "Minst 40 prosent av alle reiser i Medvik skal skje til fots, med sykkel eller med kollektivtransport innen 2030.",
        "text_nn": "Minst 40 prosent av alle reiser i Medvik skal skje til fots, med sykkel eller med kollektivtransport innan 2030.",
        "text_en": "At least 40 per cent of all trips in Medvik shall be made on foot, by bicycle or by public transport by 2030.",
    },
    {
        "sdg": 11, "code": "11.7-L1",
        "text_nb": "Alle innbyggere skal ha under 500 meter til en lekeplass, et grøntområde eller en tursti.",
        "text_nn": "Alle innbyggjarar skal ha under 500 meter til ein leikeplass, eit grøntområde eller ein turstig.",
        "text_en": "All residents shall live within 500 metres of a playground, a green space or a footpath.",
    },
    {
        "sdg": 12, "code": "12.3-L1",
        "text_nb": "Matsvinnet i kommunale kjøkken skal halveres innen 2030.",
        "text_nn": "Matsvinnet i kommunale kjøkken skal halverast innan 2030.",
        "text_en": "Food waste in municipal kitchens shall be halved by 2030.",
    },
    {
        "sdg": 12, "code": "12.5-L1",
        "text_nb": "Minst 65 prosent av husholdningsavfallet skal sorteres ut til gjenvinning eller ombruk innen 2030.",
        "text_nn": "Minst 65 prosent av hushaldsavfallet skal sorterast ut til attvinning eller ombruk innan 2030.",
        "text_en": "At least 65 per cent of household waste shall be separated for recycling or reuse by 2030.",
    },
    {
        "sdg": 12, "code": "12.7-L1",
        "text_nb": "Klima- og miljøhensyn skal vektes med minst 30 prosent i alle relevante anskaffelser.",
        "text_nn": "Klima- og miljøomsyn skal vektast med minst 30 prosent i alle relevante innkjøp.",
        "text_en": "Climate and environmental criteria shall carry at least 30 per cent of the weight in all relevant procurements.",
    },
    {
        "sdg": 13, "code": "13.2-L1",
        "text_nb": "Klimagassutslippene i Medvik skal reduseres med 55 prosent innen 2030, sammenlignet med 2009.",
        "text_nn": "Klimagassutsleppa i Medvik skal reduserast med 55 prosent innan 2030, samanlikna med 2009.",
        "text_en": "Greenhouse gas emissions in Medvik shall be reduced by 55 per cent by 2030 compared with 2009.",
    },
    {
        "sdg": 13, "code": "13.1-L1",
        "text_nb": "Alle nye byggeområder skal håndtere overvann lokalt, slik at kraftig regn ikke gir skade på bygg og infrastruktur.",
        "text_nn": "Alle nye byggjeområde skal handtere overvatn lokalt, slik at kraftig regn ikkje gir skade på bygg og infrastruktur.",
        "text_en": "All new development areas shall manage stormwater locally, so that heavy rain does not damage buildings or infrastructure.",
    },
    {
        "sdg": 16, "code": "16.7-L1",
        "text_nb": "Alle innbyggerforslag skal få et offentlig svar fra kommunen innen 60 dager.",
        "text_nn": "Alle innbyggjarforslag skal få eit offentleg svar frå kommunen innan 60 dagar.",
        "text_en": "Every proposal from residents shall receive a public answer from the municipality within 60 days.",
    },
    {
        "sdg": 17, "code": "17.17-L1",
        "text_nb": "Kommunen skal ha samarbeidsavtaler med frivillige organisasjoner i alle grender og i alle kommunalområder.",
        "text_nn": "Kommunen skal ha samarbeidsavtalar med frivillige organisasjonar i alle grender og i alle kommunalområde.",
        "text_en": "The municipality shall have cooperation agreements with voluntary organisations in every village and in every municipal area.",
    },
]

# ---------------------------------------------------------------------------
# 8. Prioritisation criteria (weights sum to 100)
# ---------------------------------------------------------------------------

CRITERIA = [
    {
        "key": "citizen_support",
        "name_nb": "Innbyggerstøtte", "name_nn": "Innbyggjarstøtte", "name_en": "Citizen support",
        "description_nb": "Beregnes automatisk ut fra stemmer og støtte fra organisasjoner på ideene som er koblet til prosjektet.",
        "description_nn": "Blir rekna ut automatisk frå røyster og støtte frå organisasjonar på ideane som er kopla til prosjektet.",
        "description_en": "Computed automatically from votes and organisation endorsements on the ideas linked to the project.",
        "weight": 20,
    },
    {
        "key": "sdg_contribution",
        "name_nb": "Bidrag til bærekraftsmålene", "name_nn": "Bidrag til berekraftsmåla", "name_en": "Contribution to the SDGs",
        "description_nb": "Hvor mye prosjektet bidrar til FNs bærekraftsmål og kommunens lokale delmål, uten å svekke andre mål.",
        "description_nn": "Kor mykje prosjektet bidreg til berekraftsmåla til FN og dei lokale delmåla til kommunen, utan å svekkje andre mål.",
        "description_en": "How much the project contributes to the UN Sustainable Development Goals and the municipality's local targets, without weakening other goals.",
        "weight": 25,
    },
    {
        "key": "resident_benefit",
        "name_nb": "Nytte for innbyggerne", "name_nn": "Nytte for innbyggjarane", "name_en": "Benefit to residents",
        "description_nb": "Hvor mange innbyggere som får nytte av prosjektet, og hvor stor forskjell det gjør i hverdagen deres.",
        "description_nn": "Kor mange innbyggjarar som får nytte av prosjektet, og kor stor skilnad det gjer i kvardagen deira.",
        "description_en": "How many residents benefit from the project, and how much difference it makes to their daily lives.",
        "weight": 20,
    },
    {
        "key": "cost",
        "name_nb": "Kostnad", "name_nn": "Kostnad", "name_en": "Cost",
        "description_nb": "Samlet kostnad for investering og drift over ti år. Høy poengsum betyr lav kostnad.",
        "description_nn": "Samla kostnad for investering og drift over ti år. Høg poengsum tyder låg kostnad.",
        "description_en": "Total investment and operating cost over ten years. A high score means a low cost.",
        "weight": 10,
    },
    {
        "key": "risk",
        "name_nb": "Risiko", "name_nn": "Risiko", "name_en": "Risk",
        "description_nb": "Risiko for forsinkelser, kostnadsoverskridelser eller at prosjektet ikke gir ønsket effekt. Høy poengsum betyr lav risiko.",
        "description_nn": "Risiko for forseinkingar, kostnadsoverskridingar eller at prosjektet ikkje gir ønskt effekt. Høg poengsum tyder låg risiko.",
        "description_en": "Risk of delays, cost overruns or the project not having the intended effect. A high score means a low risk.",
        "weight": 10,
    },
    {
        "key": "urgency",
        "name_nb": "Hastegrad", "name_nn": "Hastegrad", "name_en": "Urgency",
        "description_nb": "Hvor viktig det er å starte nå, for eksempel på grunn av sikkerhet, lovkrav eller fordi arbeidet kan samordnes med annet arbeid.",
        "description_nn": "Kor viktig det er å starte no, til dømes på grunn av tryggleik, lovkrav eller fordi arbeidet kan samordnast med anna arbeid.",
        "description_en": "How important it is to start now, for example because of safety, legal requirements, or because the work can be coordinated with other work.",
        "weight": 15,
    },
]

# ---------------------------------------------------------------------------
# 9. The municipality's public answers when an idea changes status
# ---------------------------------------------------------------------------

STATUS_EXPLANATIONS = {
    "under_review": [
        "Takk for forslaget. Det er sendt til fagavdelingen for vurdering, og vi gir et nytt svar her når vurderingen er ferdig, senest innen 60 dager.",
        "Forslaget er til vurdering i virksomhetsområdet. Vi ser blant annet på kostnader, hvem som eier området, og om tiltaket kan ses sammen med arbeid som allerede er planlagt.",
        "Vi har tatt imot forslaget og tar det med i arbeidet med neste års budsjett. Vi kommer tilbake med et svar når prioriteringene er klare.",
        "Forslaget vurderes nå sammen med flere liknende innspill. Vi tar kontakt med forslagsstilleren hvis vi trenger mer informasjon.",
        "Takk for et godt begrunnet forslag. Vi har bestilt en befaring på stedet før vi tar stilling til det.",
    ],
    "accepted": [
        "Forslaget er vurdert og tatt inn i kommunens portefølje. Det er koblet til et prosjekt, og du kan følge framdriften på prosjektsiden.",
        "Vi har besluttet å gjennomføre forslaget. Arbeidet planlegges i løpet av året, og vi gir beskjed her når oppstarten er fastsatt.",
        "Forslaget er godkjent og prioritert i handlingsplanen for neste år. Takk til alle som har stemt og kommentert; det har hatt betydning for vurderingen.",
        "Kommunen går videre med forslaget, i første omgang som en prøveordning. Ordningen evalueres etter ett år.",
        "Forslaget passer godt med kommunens mål for bærekraft og er tatt inn i et prosjekt som allerede er i gang. Du får varsel når prosjektet oppdateres.",
    ],
    "declined": [
        "Takk for forslaget. Vi har dessverre ikke mulighet til å prioritere det innenfor årets budsjett, men det er notert og kan bli vurdert på nytt ved neste rullering av handlingsplanen.",
        "Området forslaget gjelder, eies ikke av kommunen, og vi kan derfor ikke gjennomføre tiltaket selv. Vi har sendt innspillet videre til fylkeskommunen, som har ansvaret.",
        "Forslaget er vurdert, men tiltaket ville kommet i konflikt med gjeldende reguleringsplan. Vi anbefaler å ta det opp igjen når planen skal revideres.",
        "Etter en faglig vurdering mener vi at tiltaket ikke vil gi ønsket effekt. Vi prioriterer i stedet andre tiltak som dekker samme behov; se det koblede prosjektet.",
        "Vi har valgt ikke å gå videre med forslaget nå, fordi kostnadene er høye sammenlignet med hvor mange det vil komme til gode. Takk for engasjementet.",
    ],
    "in_progress": [
        "Arbeidet er i gang. Entreprenøren startet opp denne måneden, og vi regner med å være ferdige før skolestart.",
        "Tiltaket er under gjennomføring. Vi legger ut jevnlige oppdateringer på prosjektsiden.",
        "Vi har startet arbeidet og er i dialog med velforeningen om dugnadsinnsatsen. Etter planen blir det ferdig i løpet av høsten.",
        "Prøveordningen har startet. Vi tar gjerne imot tilbakemeldinger her underveis.",
        "Anskaffelsen er kunngjort, og vi vurderer nå tilbudene. Arbeidet starter når kontrakten er signert.",
    ],
    "implemented": [
        "Tiltaket er gjennomført. Takk for forslaget, og takk til alle som bidro med innspill og dugnad underveis.",
        "Arbeidet ble ferdig i forrige uke. Vi tar gjerne imot tilbakemeldinger om hvordan det fungerer.",
        "Forslaget er gjennomført og er nå en fast ordning. En evaluering legges fram for kommunestyret neste år.",
        "Tiltaket er ferdig og tatt i bruk. Gi gjerne beskjed via kommunens nettside hvis noe bør justeres.",
    ],
}

# ---------------------------------------------------------------------------
# 10. Short rationales for portfolio decisions
# ---------------------------------------------------------------------------

DECISION_RATIONALES = {
    "prioritised": [
        "Høy innbyggerstøtte og tydelig bidrag til bærekraftsmål 3 og 11. Kan gjennomføres innenfor vedtatt investeringsramme.",
        "Tiltaket løser et akutt sikkerhetsproblem og har lav risiko. Prioriteres i første kvartal.",
        "God samfunnsnytte per krone, og arbeidet kan samordnes med annet planlagt arbeid i området.",
        "Kan delfinansieres med statlige tilskudd, og frivillige organisasjoner har tilbudt seg å bidra.",
    ],
    "deferred": [
        "Godt forslag, men avhengig av at reguleringsplanen for området er vedtatt. Vurderes på nytt neste år.",
        "Utsettes til den pågående utredningen er ferdig, slik at vi ikke kjøper eller bygger noe vi allerede har.",
        "Kostnaden er for høy for årets budsjett. Tas med i økonomiplanen for de neste fire årene.",
        "Overlapper med en planlagt anskaffelse i et annet virksomhetsområde og må samordnes før vi går videre.",
    ],
    "rejected": [
        "Tiltaket ligger utenfor kommunens ansvarsområde. Innspillet er sendt videre til ansvarlig myndighet.",
        "Lav nytte sammenlignet med kostnaden, og behovet dekkes allerede av et eksisterende tilbud.",
        "Høy risiko og usikker effekt. Andre tiltak gir bedre måloppnåelse for de samme midlene.",
        "Strider mot vedtatt kommuneplan og nasjonale føringer for strandsonen.",
    ],
}
