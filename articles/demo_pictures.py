"""Pictures for the demo stories, painted with Pillow: skies, harbours, fields, streets, stadiums.

Not photographs, but scenes with light, depth and colour, so the demo front page looks like a newspaper's
rather than a row of grey boxes. Each story's picture is the same on every run (seeded by the story's key).
"""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = (1600, 1067)  # 3:2, wide enough for every rendition

Colour = tuple[int, int, int]


def hex_rgb(value: str) -> Colour:
    value = value.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def gradient(size, stops: list[tuple[float, Colour]]) -> Image.Image:
    """A vertical gradient through (position 0..1, colour) stops."""
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
            if p0 <= t <= p1:
                column.putpixel((0, y), mix(c0, c1, (t - p0) / max(1e-6, p1 - p0)))
                break
    return column.resize(size)


def glow(image: Image.Image, centre, radius: int, colour: Colour, strength=0.9) -> None:
    """A soft round light (sun, floodlight, lamp) blended onto `image`."""
    mask = Image.new("L", image.size, 0)
    x, y = centre
    ImageDraw.Draw(mask).ellipse([x - radius, y - radius, x + radius, y + radius], fill=round(255 * strength))
    mask = mask.filter(ImageFilter.GaussianBlur(radius * 0.6))
    image.paste(Image.new("RGB", image.size, colour), (0, 0), mask)


def disc(draw, centre, radius, colour) -> None:
    x, y = centre
    draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)


def clouds(image: Image.Image, rnd: random.Random, top: int, bottom: int, colour: Colour, count=7, alpha=150):
    layer = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(layer)
    for _ in range(count):
        cx, cy = rnd.randint(-100, image.width + 100), rnd.randint(top, bottom)
        for _ in range(6):
            w, h = rnd.randint(120, 320), rnd.randint(40, 90)
            dx, dy = rnd.randint(-160, 160), rnd.randint(-25, 25)
            draw.ellipse([cx + dx - w, cy + dy - h, cx + dx + w, cy + dy + h], fill=alpha)
    layer = layer.filter(ImageFilter.GaussianBlur(28))
    image.paste(Image.new("RGB", image.size, colour), (0, 0), layer)


def ridge(draw, rnd, base: int, amplitude: int, colour, roughness=0.5, width=SIZE[0]) -> list:
    """A hill or mountain line across the picture, filled down to the bottom."""
    points, y = [], base
    step = 40
    for x in range(0, width + step, step):
        y += rnd.uniform(-amplitude, amplitude) * roughness
        y = max(base - amplitude * 2, min(base + amplitude, y))
        points.append((x, y))
    draw.polygon([(0, SIZE[1]), *points, (width, SIZE[1])], fill=colour)
    return points


def water(image: Image.Image, horizon: int, top: Colour, bottom: Colour, rnd: random.Random, shimmer: Colour):
    image.paste(gradient((image.width, image.height - horizon), [(0, top), (1, bottom)]), (0, horizon))
    draw = ImageDraw.Draw(image)
    for _ in range(260):
        y = rnd.randint(horizon + 4, image.height)
        x = rnd.randint(0, image.width)
        length = rnd.randint(20, 90) * (0.4 + (y - horizon) / (image.height - horizon))
        draw.line([(x, y), (x + length, y)], fill=mix(shimmer, top, rnd.random() * 0.6), width=2)


def buildings(
    draw, rnd, base: int, colour, lit: Colour | None, tallest=260, start=0, end=SIZE[0], gap=(0, 8)
):
    x = start
    while x < end:
        w, h = rnd.randint(60, 150), rnd.randint(60, tallest)
        draw.rectangle([x, base - h, x + w, base], fill=colour)
        if rnd.random() < 0.35:  # a pitched roof
            draw.polygon([(x, base - h), (x + w / 2, base - h - w * 0.35), (x + w, base - h)], fill=colour)
        if lit:
            for wy in range(base - h + 14, base - 16, 26):
                for wx in range(x + 10, x + w - 14, 22):
                    if rnd.random() < 0.45:
                        draw.rectangle([wx, wy, wx + 9, wy + 13], fill=lit)
        x += w + rnd.randint(*gap)


def boat(draw, x, y, scale, hull, sail=None):
    w = 140 * scale
    draw.polygon(
        [(x, y), (x + w, y), (x + w * 0.85, y + 28 * scale), (x + w * 0.12, y + 28 * scale)], fill=hull
    )
    draw.rectangle([x + w * 0.35, y - 36 * scale, x + w * 0.62, y], fill=mix(hull, (240, 240, 240), 0.7))
    draw.line(
        [(x + w * 0.5, y - 36 * scale), (x + w * 0.5, y - 120 * scale)],
        fill=hull,
        width=max(2, round(3 * scale)),
    )
    if sail:
        draw.polygon(
            [(x + w * 0.52, y - 115 * scale), (x + w * 0.52, y - 45 * scale), (x + w * 0.9, y - 45 * scale)],
            fill=sail,
        )


# ---------------------------------------------------------------------------------------------- scenes


def harbour(rnd, tint):
    horizon = 640
    image = gradient(
        SIZE, [(0, (120, 160, 200)), (0.55, mix((250, 210, 170), tint, 0.2)), (1, (250, 225, 190))]
    )
    glow(image, (rnd.randint(300, 1300), horizon - 120), 90, (255, 236, 200))
    clouds(image, rnd, 60, 380, (255, 255, 255), count=5, alpha=120)
    draw = ImageDraw.Draw(image)
    buildings(draw, rnd, horizon, mix((60, 70, 86), tint, 0.3), (250, 214, 140), tallest=220)
    water(image, horizon, mix((70, 100, 130), tint, 0.3), (25, 45, 70), rnd, (220, 200, 170))
    draw = ImageDraw.Draw(image)
    for i in range(rnd.randint(3, 5)):
        scale = 0.7 + i * 0.35
        boat(
            draw,
            rnd.randint(-40, 1350),
            horizon + 40 + i * 95,
            scale,
            rnd.choice([(150, 40, 40), (30, 60, 90), (235, 235, 230), (40, 90, 70)]),
        )
    draw.rectangle([0, SIZE[1] - 70, SIZE[0], SIZE[1]], fill=(70, 60, 55))  # the quay
    for x in range(40, SIZE[0], 210):
        draw.rectangle([x, SIZE[1] - 100, x + 26, SIZE[1] - 70], fill=(40, 35, 32))
    return image


def flood(rnd, tint):
    horizon = 560
    image = gradient(SIZE, [(0, (92, 100, 110)), (0.5, (150, 156, 160)), (1, (170, 172, 170))])
    clouds(image, rnd, 0, 360, (70, 76, 84), count=9, alpha=200)
    draw = ImageDraw.Draw(image)
    ridge(draw, rnd, horizon - 40, 30, (96, 110, 100))
    buildings(
        draw, rnd, horizon + 60, mix((120, 100, 90), tint, 0.2), (255, 220, 150), tallest=200, gap=(30, 90)
    )
    water(image, horizon + 20, (120, 112, 92), (80, 74, 60), rnd, (190, 185, 170))
    draw = ImageDraw.Draw(image)
    for x in range(120, 1600, 260):  # fence posts standing in the water
        draw.rectangle([x, 700, x + 12, 860], fill=(60, 50, 40))
    for y in (735, 780):
        draw.line([(80, y), (1560, y + 10)], fill=(60, 50, 40), width=5)
    rain = Image.new("L", SIZE, 0)
    rdraw = ImageDraw.Draw(rain)
    for _ in range(900):
        x, y = rnd.randint(-200, 1600), rnd.randint(-100, 1067)
        rdraw.line([(x, y), (x + 18, y + 60)], fill=90, width=1)
    image.paste(Image.new("RGB", SIZE, (220, 225, 230)), (0, 0), rain)
    return image


def fields(rnd, tint):
    horizon = 520
    image = gradient(SIZE, [(0, (90, 150, 210)), (0.5, (200, 225, 240)), (1, (230, 235, 230))])
    clouds(image, rnd, 80, 360, (255, 255, 255), count=6, alpha=190)
    glow(image, (rnd.randint(200, 1400), 170), 70, (255, 250, 225))
    draw = ImageDraw.Draw(image)
    ridge(draw, rnd, horizon, 25, (110, 140, 110))
    gold = mix((214, 170, 80), tint, 0.15)
    ridge(draw, rnd, horizon + 90, 20, mix(gold, (150, 140, 60), 0.3))
    points = ridge(draw, rnd, horizon + 200, 15, gold)
    for i in range(-20, 40):  # furrows running towards the horizon
        x0 = 800 + i * 120
        draw.line(
            [(800 + i * 18, points[min(len(points) - 1, 20)][1] + 10), (x0, SIZE[1])],
            fill=mix(gold, (120, 90, 40), 0.35),
            width=4,
        )
    tx = rnd.randint(200, 1300)
    draw.rectangle([tx, horizon - 20, tx + 14, horizon + 60], fill=(60, 45, 35))
    disc(draw, (tx + 7, horizon - 60), 70, (60, 90, 55))
    return image


def heat(rnd, tint):
    horizon = 700
    image = gradient(SIZE, [(0, (230, 120, 60)), (0.55, (250, 190, 110)), (1, (250, 220, 160))])
    glow(image, (800, 420), 260, (255, 240, 190), 0.8)
    draw = ImageDraw.Draw(image)
    disc(draw, (800, 420), 110, (255, 245, 210))
    buildings(draw, rnd, horizon, (150, 80, 60), None, tallest=300)
    draw.rectangle([0, horizon, SIZE[0], SIZE[1]], fill=(190, 120, 70))
    haze = Image.new("L", SIZE, 0)
    ImageDraw.Draw(haze).rectangle([0, horizon - 160, SIZE[0], horizon + 40], fill=110)
    image.paste(Image.new("RGB", SIZE, (250, 200, 140)), (0, 0), haze.filter(ImageFilter.GaussianBlur(50)))
    return image


def city(rnd, tint):
    horizon = 760
    dusk = mix((40, 50, 90), tint, 0.25)
    image = gradient(SIZE, [(0, dusk), (0.6, (200, 120, 110)), (1, (240, 180, 130))])
    draw = ImageDraw.Draw(image)
    buildings(draw, rnd, horizon - 60, mix((70, 70, 95), dusk, 0.4), (255, 210, 140), tallest=480)
    buildings(draw, rnd, horizon + 40, (35, 35, 50), (255, 225, 160), tallest=360)
    draw.rectangle([0, horizon + 40, SIZE[0], SIZE[1]], fill=(30, 30, 38))
    for x in range(0, SIZE[0], 140):  # street lamps and their light on the road
        draw.line([(x + 60, horizon + 40), (x + 60, horizon - 60)], fill=(20, 20, 25), width=4)
        glow(image, (x + 60, horizon - 64), 26, (255, 220, 150))
    draw = ImageDraw.Draw(image)
    for _ in range(14):  # people crossing
        x = rnd.randint(0, SIZE[0])
        draw.rectangle([x, horizon + 110, x + 16, horizon + 190], fill=(15, 15, 20))
        disc(draw, (x + 8, horizon + 98), 12, (15, 15, 20))
    return image


def railway(rnd, tint):
    horizon = 560
    image = gradient(SIZE, [(0, (150, 180, 210)), (0.5, (235, 225, 210)), (1, (200, 200, 190))])
    clouds(image, rnd, 60, 320, (255, 255, 255), count=5, alpha=160)
    draw = ImageDraw.Draw(image)
    ridge(draw, rnd, horizon, 40, (120, 140, 130))
    ridge(draw, rnd, horizon + 60, 20, (90, 120, 80))
    vanish = (820, horizon + 20)
    draw.polygon(
        [(vanish[0] - 8, vanish[1]), (vanish[0] + 8, vanish[1]), (1250, SIZE[1]), (350, SIZE[1])],
        fill=(120, 110, 100),
    )
    for side in (-1, 1):
        draw.line([vanish, (800 + side * 330, SIZE[1])], fill=(200, 200, 205), width=6)
    for i in range(1, 18):  # sleepers, closer together towards the horizon
        t = (i / 18) ** 2
        y = vanish[1] + (SIZE[1] - vanish[1]) * t
        half = 8 + 420 * t
        draw.line(
            [(vanish[0] - half, y), (vanish[0] + half, y)], fill=(80, 65, 55), width=max(2, round(14 * t))
        )
    for x in range(100, 1600, 300):  # catenary poles
        draw.line([(x, horizon + 40), (x, horizon - 180)], fill=(70, 70, 75), width=5)
    return image


def wind(rnd, tint):
    horizon = 620
    image = gradient(SIZE, [(0, (100, 150, 200)), (0.55, (215, 230, 240)), (1, (230, 235, 235))])
    clouds(image, rnd, 40, 300, (255, 255, 255), count=6, alpha=170)
    water(image, horizon, (70, 110, 140), (30, 60, 85), rnd, (210, 225, 235))
    draw = ImageDraw.Draw(image)
    for i in range(6):
        scale = 0.35 + 0.2 * i
        x, base = 150 + i * 240 + rnd.randint(-40, 40), horizon + 10 + i * 12
        top = base - 420 * scale
        draw.line([(x, base), (x, top)], fill=(245, 245, 245), width=max(2, round(10 * scale)))
        angle = rnd.uniform(0, math.tau)
        for k in range(3):
            a = angle + k * math.tau / 3
            draw.line(
                [(x, top), (x + math.cos(a) * 230 * scale, top + math.sin(a) * 230 * scale)],
                fill=(250, 250, 250),
                width=max(2, round(8 * scale)),
            )
    draw.rectangle([0, SIZE[1] - 120, SIZE[0], SIZE[1]], fill=(90, 90, 95))  # the port's quay
    for x in range(80, SIZE[0], 360):  # blades waiting on the quay
        draw.polygon([(x, SIZE[1] - 150), (x + 300, SIZE[1] - 138), (x, SIZE[1] - 126)], fill=(235, 235, 235))
    return image


def factory(rnd, tint):
    horizon = 720
    image = gradient(SIZE, [(0, (60, 80, 110)), (0.6, (170, 160, 170)), (1, (210, 190, 170))])
    clouds(image, rnd, 100, 420, (200, 200, 205), count=6, alpha=160)
    draw = ImageDraw.Draw(image)
    body = mix((60, 70, 75), tint, 0.3)
    for i in range(4):
        x = 100 + i * 360
        draw.rectangle([x, horizon - 200, x + 320, horizon], fill=body)
        for k in range(4):  # saw-tooth roof
            draw.polygon(
                [
                    (x + k * 80, horizon - 200),
                    (x + k * 80 + 80, horizon - 200),
                    (x + k * 80 + 80, horizon - 250),
                ],
                fill=body,
            )
    for x in (420, 1180):
        draw.rectangle([x, horizon - 420, x + 40, horizon - 200], fill=(80, 80, 85))
    steam = Image.new("L", SIZE, 0)
    sdraw = ImageDraw.Draw(steam)
    for x in (440, 1200):
        for k in range(6):
            disc(sdraw, (x + k * 30, horizon - 450 - k * 55), 50 + k * 12, 150)
    image.paste(Image.new("RGB", SIZE, (235, 235, 240)), (0, 0), steam.filter(ImageFilter.GaussianBlur(20)))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, horizon, SIZE[0], SIZE[1]], fill=(110, 105, 100))
    for x in range(0, SIZE[0], 180):
        draw.rectangle(
            [x + 30, horizon + 120, x + 150, horizon + 200],
            fill=rnd.choice([(40, 110, 160), (200, 120, 40), (70, 140, 90)]),
        )
    return image


def interior(rnd, tint):
    wall = mix((190, 160, 120), tint, 0.35)
    image = gradient(
        SIZE, [(0, mix(wall, (60, 50, 40), 0.3)), (0.7, wall), (0.71, (110, 80, 55)), (1, (70, 50, 35))]
    )
    draw = ImageDraw.Draw(image)
    palette = [(180, 60, 50), (40, 90, 130), (220, 180, 60), (60, 120, 90), (240, 230, 210), (90, 60, 110)]
    x = 90
    while x < SIZE[0] - 200:  # framed pictures (or shelves of books, depending on the seed)
        w, h = rnd.randint(180, 340), rnd.randint(200, 380)
        y = 560 - h
        draw.rectangle([x - 12, y - 12, x + w + 12, y + h + 12], fill=(60, 45, 30))
        inner = Image.new("RGB", (w, h), rnd.choice(palette))
        idraw = ImageDraw.Draw(inner)
        for _ in range(7):
            cx, cy, r = rnd.randint(0, w), rnd.randint(0, h), rnd.randint(20, 110)
            idraw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rnd.choice(palette))
        image.paste(inner.filter(ImageFilter.GaussianBlur(3)), (x, y))
        glow(image, (x + w // 2, y - 40), 60, (255, 240, 200), 0.5)
        draw = ImageDraw.Draw(image)
        x += w + rnd.randint(80, 160)
    for _ in range(5):  # visitors
        px = rnd.randint(50, 1500)
        draw.rectangle([px, 700, px + 60, 980], fill=(35, 30, 30))
        disc(draw, (px + 30, 670), 30, (35, 30, 30))
    return image


def stadium(rnd, tint):
    horizon = 520
    image = gradient(
        SIZE,
        [
            (0, (10, 15, 35)),
            (0.45, (30, 40, 70)),
            (0.46, (40, 40, 50)),
            (0.6, (60, 60, 70)),
            (1, (60, 60, 70)),
        ],
    )
    draw = ImageDraw.Draw(image)
    crowd = [(200, 60, 60), (230, 230, 230), (60, 80, 160), (240, 200, 60), (40, 40, 45)]
    for _ in range(2600):  # the stands
        x, y = rnd.randint(0, SIZE[0]), rnd.randint(horizon - 40, horizon + 130)
        disc(draw, (x, y), 4, rnd.choice(crowd))
    pitch = mix((40, 130, 60), tint, 0.1)
    draw.polygon([(0, SIZE[1]), (0, horizon + 170), (SIZE[0], horizon + 170), (SIZE[0], SIZE[1])], fill=pitch)
    for i in range(8):  # mown stripes
        y0 = horizon + 170 + i * 50
        if i % 2:
            draw.rectangle([0, y0, SIZE[0], y0 + 50], fill=mix(pitch, (255, 255, 255), 0.08))
    draw.line([(0, horizon + 330), (SIZE[0], horizon + 330)], fill=(235, 235, 235), width=5)
    draw.ellipse([600, horizon + 250, 1000, horizon + 410], outline=(235, 235, 235), width=5)
    for x in (160, 1440):
        draw.line([(x, horizon - 40), (x, 120)], fill=(90, 90, 100), width=10)
        glow(image, (x, 110), 90, (255, 255, 230))
    return image


def mountains(rnd, tint):
    image = gradient(SIZE, [(0, (120, 170, 220)), (0.5, (225, 235, 240)), (1, (200, 210, 200))])
    draw = ImageDraw.Draw(image)
    ridge(draw, rnd, 420, 90, (150, 165, 185), roughness=1.6)
    snow = ridge(draw, rnd, 520, 80, (110, 125, 150), roughness=1.4)
    for x, y in snow[::3]:
        draw.polygon([(x - 30, y + 40), (x, y), (x + 30, y + 40)], fill=(240, 245, 250))
    ridge(draw, rnd, 700, 40, mix((70, 110, 70), tint, 0.1))
    ridge(draw, rnd, 880, 25, (50, 85, 55))
    road = [(0, 1000), (400, 900), (800, 950), (1200, 820), (1600, 860)]
    draw.line(road, fill=(90, 90, 95), width=40, joint="curve")
    for i, (x, y) in enumerate(road[1:4]):  # riders
        c = [(220, 40, 40), (250, 220, 40), (40, 90, 200)][i]
        disc(draw, (x, y - 40), 14, c)
        draw.ellipse([x - 26, y - 26, x - 2, y - 2], outline=(20, 20, 20), width=4)
        draw.ellipse([x + 2, y - 26, x + 26, y - 2], outline=(20, 20, 20), width=4)
    return image


def cinema(rnd, tint):
    image = gradient(SIZE, [(0, (15, 15, 25)), (1, (30, 20, 30))])
    draw = ImageDraw.Draw(image)
    screen = [250, 120, 1350, 600]
    glow(image, (800, 360), 520, mix((120, 150, 220), tint, 0.3), 0.5)
    draw = ImageDraw.Draw(image)
    draw.rectangle(screen, fill=mix((200, 215, 240), tint, 0.2))
    sky = gradient(
        (screen[2] - screen[0], screen[3] - screen[1]), [(0, (250, 170, 110)), (1, (120, 70, 120))]
    )
    image.paste(sky, (screen[0], screen[1]))
    draw = ImageDraw.Draw(image)
    disc(draw, (1000, 330), 60, (255, 230, 170))
    for row in range(5):  # the audience
        y = 700 + row * 85
        for x in range(-20, SIZE[0], 95):
            disc(draw, (x + (row % 2) * 45, y), 34 + row * 3, (10, 8, 12))
    return image


def flame(rnd, tint):
    horizon = 600
    image = gradient(SIZE, [(0, (40, 45, 70)), (0.6, (120, 100, 110)), (1, (60, 50, 50))])
    clouds(image, rnd, 40, 300, (90, 90, 110), count=6, alpha=150)
    draw = ImageDraw.Draw(image)
    wall = (130, 50, 45)
    draw.rectangle([0, 330, SIZE[0], horizon], fill=wall)
    for x in range(0, SIZE[0], 80):  # swallow-tail merlons
        draw.polygon([(x + 10, 330), (x + 10, 270), (x + 35, 295), (x + 60, 270), (x + 60, 330)], fill=wall)
    draw.rectangle([0, horizon, SIZE[0], SIZE[1]], fill=(70, 70, 75))
    draw.polygon([(560, 820), (1040, 820), (980, 760), (620, 760)], fill=(40, 40, 45))  # the star-shaped base
    glow(image, (800, 700), 140, (255, 170, 60))
    draw = ImageDraw.Draw(image)
    draw.polygon([(770, 760), (800, 620), (830, 760)], fill=(255, 200, 90))
    for x in range(620, 1000, 22):  # flowers laid in front
        disc(
            draw,
            (x + rnd.randint(-6, 6), 850 + rnd.randint(-12, 12)),
            9,
            rnd.choice([(220, 40, 60), (250, 240, 240), (240, 180, 40)]),
        )
    for x in (300, 420, 1160, 1290):  # people standing
        draw.rectangle([x, 720, x + 55, 1000], fill=(25, 22, 25))
        disc(draw, (x + 27, 690), 28, (25, 22, 25))
    return image


SCENES = {
    "harbour": harbour,
    "flood": flood,
    "fields": fields,
    "heat": heat,
    "city": city,
    "railway": railway,
    "wind": wind,
    "factory": factory,
    "interior": interior,
    "stadium": stadium,
    "mountains": mountains,
    "cinema": cinema,
    "flame": flame,
}


def make_picture(scene: str, key: str, colour: str = "#607080") -> bytes:
    """The JPEG bytes of `scene` (a SCENES name), varied by `key` and tinted towards `colour`."""
    rnd = random.Random(key)
    image = SCENES[scene](rnd, hex_rgb(colour))
    grain = Image.effect_noise(SIZE, 14).convert("RGB")  # a little film grain, so it reads as a photograph
    image = Image.blend(image, grain, 0.04).filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=84, optimize=True, progressive=True)
    return out.getvalue()
