"""MkDocs hook for `make docs`: a notebook page's table of contents built from the headings it actually shows.

mkdocs-jupyter gives headings one id (`%lesson_setup` -> `lesson_setup`) and builds the table of contents with
Python-Markdown's own slugs (`_1` for a heading in backticks), so some contents links would point nowhere.
"""
import html
import re

from mkdocs.structure.toc import get_toc

HEADING = re.compile(r'<h([1-6])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def toc_tokens(content):
    "Nested table-of-contents tokens ({level, id, name, children}) for the headings with ids in HTML `content`."
    root = {'level': 0, 'children': []}
    stack = [root]
    for level, id_, inner in HEADING.findall(content):
        inner = re.sub(r'<a class="anchor-link".*?</a>', '', inner, flags=re.S)
        token = {'level': int(level), 'id': id_, 'name': html.unescape(re.sub(r'<[^>]+>', '', inner)).strip(),
                 'children': []}
        while stack[-1]['level'] >= token['level']: stack.pop()
        stack[-1]['children'].append(token)
        stack.append(token)
    return root['children']


def on_page_content(content, page, config, files):
    "Replace a notebook page's table of contents by one made from its rendered headings."
    if page.file.src_uri.endswith('.ipynb'): page.toc = get_toc(toc_tokens(content))
    return content
