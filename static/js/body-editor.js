// The story body's elements in the editor (django-prose-editor / Tiptap): a photo from the library, a
// gallery, an embed by address, a pull quote and a fact box. What each stores is listed in articles/html.py;
// articles/body.py renders it for readers. Served from our static files, no inline script or style.
import { crel, gettext, Node, updateAttrsDialog } from "django-prose-editor/editor"

// The story form links the hashed stylesheet itself (ArticleAdmin.Media); other forms get it from here.
if (!document.querySelector('link[href*="/css/body-editor."]')) {
  document.head.append(crel("link", { rel: "stylesheet", href: new URL("../css/body-editor.css", import.meta.url).href }))
}

const adminRoot = () => document.querySelector("#site-name a")?.getAttribute("href") || "/admin/"
const searchUrl = (query) => `${adminRoot()}body/photos.json?${query}`
const idsOf = (value) => String(value || "").split(/[\s,]+/).filter((part) => /^\d+$/.test(part))

// Photos already looked up, by id: {id, caption, credit, alt, thumbnail}
const known = new Map()
async function lookUp(ids) {
  const missing = ids.filter((id) => !known.has(id))
  if (missing.length) {
    const response = await fetch(searchUrl(`ids=${missing.join(",")}`), { credentials: "same-origin" })
    if (response.ok) for (const photo of (await response.json()).photos) known.set(String(photo.id), photo)
  }
  return ids.map((id) => known.get(id) || null)
}

// A search of the library in a dialog of its own; `multiple` adds to the list instead of replacing it.
function pickPhotos({ input, multiple }) {
  const dialog = crel("dialog", { className: "body-photo-picker", "aria-label": gettext("Photo library") })
  const search = crel("input", {
    type: "search",
    placeholder: gettext("Search captions, credits, alt text"),
    "aria-label": gettext("Search the photo library"),
  })
  const results = crel("ul", { className: "body-photo-results" })
  const done = crel("button", { type: "button", textContent: gettext("Done") })
  dialog.append(
    crel("h3", { textContent: multiple ? gettext("Add photos to the gallery") : gettext("Choose a photo") }),
    search,
    results,
    done,
  )
  document.body.append(dialog)
  dialog.showModal()
  const close = () => {
    dialog.close()
    dialog.remove()
  }
  done.addEventListener("click", close)
  async function run() {
    const response = await fetch(searchUrl(`q=${encodeURIComponent(search.value)}`), { credentials: "same-origin" })
    const photos = response.ok ? (await response.json()).photos : []
    if (!photos.length) {
      results.replaceChildren(crel("li", { textContent: gettext("No photo with a file matches.") }))
      return
    }
    results.replaceChildren(
      ...photos.map((photo) => {
        known.set(String(photo.id), photo)
        const button = crel("button", { type: "button", className: "body-photo-result" }, [
          crel("img", { src: photo.thumbnail, alt: "" }),
          crel("span", { textContent: `${photo.caption || photo.alt || gettext("Photo")} (${photo.id})` }),
        ])
        button.addEventListener("click", () => {
          if (multiple) {
            input.value = [...idsOf(input.value), String(photo.id)].join(" ")
            button.classList.add("chosen")
          } else {
            input.value = String(photo.id)
            close()
          }
        })
        return crel("li", {}, [button])
      }),
    )
  }
  let timer
  search.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(run, 250)
  })
  run()
  search.focus()
}

const photoDialog = updateAttrsDialog(
  {
    photo: {
      title: gettext("Photo (its number in the library)"),
      required: true,
      picker: { label: gettext("Search the library"), handler: ({ input }) => pickPhotos({ input, multiple: false }) },
    },
    caption: { title: gettext("Caption for this story (empty: the photo's own)"), format: "textarea" },
  },
  { title: gettext("Photo from the library"), submitText: gettext("Insert") },
)
const galleryDialog = updateAttrsDialog(
  {
    gallery: {
      title: gettext("Photos, in order (numbers in the library)"),
      required: true,
      picker: { label: gettext("Add from the library"), handler: ({ input }) => pickPhotos({ input, multiple: true }) },
    },
    caption: { title: gettext("Title of the gallery") },
  },
  { title: gettext("Gallery"), submitText: gettext("Insert") },
)
const embedDialog = updateAttrsDialog(
  {
    embed: {
      title: gettext("Address of the video, post, track or chart"),
      description: gettext(
        "YouTube, Vimeo, X, Instagram, TikTok, Bluesky, Mastodon, SoundCloud, Spotify, Datawrapper or Flourish. " +
          "Its title is fetched when you save; readers load it only after a click.",
      ),
      format: "url",
      required: true,
    },
  },
  { title: gettext("Embed"), submitText: gettext("Insert") },
)

// An atom block, then an empty paragraph holding the cursor: typing on must not replace the block.
const insertBlock = (editor, type, attrs) =>
  editor.chain().focus().insertContent([{ type, attrs }, { type: "paragraph" }]).run()

const dataAttribute = (name) => ({
  default: null,
  parseHTML: (element) => element.getAttribute(`data-${name}`),
  renderHTML: (attributes) => (attributes[name] ? { [`data-${name}`]: attributes[name] } : {}),
})

// An atom block shown in the editor as a labelled card, with an Edit button opening its dialog.
function atomView(describe, dialog) {
  return ({ node, editor, getPos }) => {
    const dom = crel("div", { className: "body-element", contentEditable: "false" })
    let current = node
    const draw = () => {
      const label = crel("p", { className: "body-element-label" })
      const pictures = crel("div", { className: "body-element-pictures" })
      const edit = crel("button", { type: "button", className: "body-element-edit", textContent: gettext("Edit") })
      edit.addEventListener("click", async () => {
        const attrs = await dialog(editor, { ...current.attrs })
        if (attrs && typeof getPos === "function") {
          editor.chain().focus().command(({ tr }) => {
            tr.setNodeMarkup(getPos(), undefined, { ...current.attrs, ...attrs })
            return true
          }).run()
        }
      })
      dom.replaceChildren(label, pictures, edit)
      describe(current.attrs, label, pictures)
    }
    draw()
    return {
      dom,
      update(updated) {
        if (updated.type !== current.type) return false
        current = updated
        draw()
        return true
      },
    }
  }
}

function showPhotos(ids, label, pictures, prefix) {
  label.textContent = `${prefix}: ${ids.length ? ids.join(", ") : gettext("no photo chosen")}`
  lookUp(ids).then((photos) => {
    const missing = ids.filter((_, i) => !photos[i])
    pictures.replaceChildren(
      ...photos.filter(Boolean).map((photo) => crel("img", { src: photo.thumbnail, alt: photo.alt || "" })),
    )
    if (missing.length) {
      label.textContent += ` — ${gettext("not in the library or without a file")}: ${missing.join(", ")}`
      label.classList.add("body-element-problem")
    } else if (photos.length === 1) {
      label.textContent = `${prefix}: ${photos[0].caption || photos[0].alt || ids[0]}`
    }
  })
}

export const BodyPhoto = Node.create({
  name: "bodyPhoto",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    return { photo: dataAttribute("photo"), caption: dataAttribute("caption") }
  },
  parseHTML() {
    return [{ tag: "figure[data-photo]", priority: 100 }]
  },
  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes]
  },
  addNodeView() {
    return atomView((attrs, label, pictures) => {
      showPhotos(idsOf(attrs.photo).slice(0, 1), label, pictures, gettext("Photo"))
      if (attrs.caption) label.after(crel("p", { className: "body-element-note", textContent: attrs.caption }))
    }, photoDialog)
  },
  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "bodyPhoto",
      groups: "nodes",
      button: buttons.material("add_photo_alternate", gettext("Insert a photo from the library")),
      command: (editor) =>
        photoDialog(editor, {}).then((attrs) => {
          if (attrs?.photo) insertBlock(editor, "bodyPhoto", attrs)
        }),
    })
  },
})

export const BodyGallery = Node.create({
  name: "bodyGallery",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    return { gallery: dataAttribute("gallery"), caption: dataAttribute("caption") }
  },
  parseHTML() {
    return [{ tag: "figure[data-gallery]", priority: 100 }]
  },
  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes]
  },
  addNodeView() {
    return atomView((attrs, label, pictures) => {
      showPhotos(idsOf(attrs.gallery), label, pictures, attrs.caption || gettext("Gallery"))
    }, galleryDialog)
  },
  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "bodyGallery",
      groups: "nodes",
      button: buttons.material("photo_library", gettext("Insert a gallery")),
      command: (editor) =>
        galleryDialog(editor, {}).then((attrs) => {
          if (attrs?.gallery) {
            attrs.gallery = idsOf(attrs.gallery).join(" ")
            insertBlock(editor, "bodyGallery", attrs)
          }
        }),
    })
  },
})

const EMBED_ATTRIBUTES = ["embed", "provider", "title", "author", "frame", "ratio"]

export const BodyEmbed = Node.create({
  name: "bodyEmbed",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    return Object.fromEntries(EMBED_ATTRIBUTES.map((name) => [name, dataAttribute(name)]))
  },
  parseHTML() {
    // Pasted players and posts become embeds by their address (the server maps a player's address to its
    // page and fetches the rest on save): nothing pasted is dropped silently.
    const lastLink = (pattern) => (element) => {
      const links = [...element.querySelectorAll("a[href]")].map((a) => a.href.split("?")[0])
      const found = links.reverse().find((href) => pattern.test(href))
      return found ? { embed: found } : false
    }
    return [
      { tag: "figure[data-embed]", priority: 100 },
      { tag: "iframe[src]", priority: 100, getAttrs: (element) => ({ embed: element.getAttribute("src") }) },
      { tag: "blockquote.twitter-tweet", priority: 110, getAttrs: lastLink(/\/status\/\d+$/) },
      { tag: "blockquote.bluesky-embed", priority: 110, getAttrs: lastLink(/\/post\/\w+$/) },
      {
        tag: "blockquote.instagram-media",
        priority: 110,
        getAttrs: (element) => ({ embed: element.getAttribute("data-instgrm-permalink")?.split("?")[0] }),
      },
      { tag: "blockquote.tiktok-embed", priority: 110, getAttrs: (element) => ({ embed: element.getAttribute("cite") }) },
    ]
  },
  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes]
  },
  addNodeView() {
    return atomView((attrs, label) => {
      label.textContent = attrs.provider
        ? `${attrs.provider}: ${attrs.title || attrs.embed}`
        : `${gettext("Embed")}: ${attrs.embed} (${gettext("fetched when you save")})`
    }, embedDialog)
  },
  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "bodyEmbed",
      groups: "nodes",
      button: buttons.material("smart_display", gettext("Embed a video, post or chart by its address")),
      command: (editor) =>
        embedDialog(editor, {}).then((attrs) => {
          // only the address: the server fetches the rest on save
          if (attrs?.embed) insertBlock(editor, "bodyEmbed", { embed: attrs.embed.trim() })
        }),
    })
  },
})

export const PullQuote = Node.create({
  name: "pullQuote",
  group: "block",
  content: "paragraph+",
  defining: true,
  parseHTML() {
    return [{ tag: "blockquote.pullquote", priority: 100 }]
  },
  renderHTML() {
    return ["blockquote", { class: "pullquote" }, 0]
  },
  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "pullQuote",
      groups: "nodes",
      button: buttons.material("campaign", gettext("Pull quote (the selected paragraph)")),
      command: (editor) => editor.chain().focus().toggleWrap("pullQuote").run(),
      active: (editor) => editor.isActive("pullQuote"),
    })
  },
})

export const FactBox = Node.create({
  name: "factBox",
  group: "block",
  content: "block+",
  defining: true,
  parseHTML() {
    return [{ tag: "aside.factbox", priority: 100 }]
  },
  renderHTML() {
    return ["aside", { class: "factbox" }, 0]
  },
  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "factBox",
      groups: "nodes",
      button: buttons.material("info", gettext("Fact box (the selected paragraphs)")),
      command: (editor) => editor.chain().focus().toggleWrap("factBox").run(),
      active: (editor) => editor.isActive("factBox"),
    })
  },
})
