"""Package metadata, read from settings.ini (nbdev 2 keeps all project settings there)."""
from configparser import ConfigParser

import setuptools

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

licenses = {'apache2': 'Apache-2.0'}  # an SPDX expression: setuptools deprecates license classifiers
statuses = ['Planning', 'Pre-Alpha', 'Alpha', 'Beta', 'Production/Stable', 'Mature', 'Inactive']
py_versions = ['3.10', '3.11', '3.12', '3.13']
min_python = cfg['min_python']

setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    description=cfg['description'],
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    author=cfg['author'],
    author_email=cfg['author_email'],
    url=cfg['git_url'],
    license=licenses[cfg['license']],
    keywords=cfg['keywords'].split(),
    classifiers=[
        f'Development Status :: {cfg["status"]} - {statuses[int(cfg["status"])]}',
        f'Intended Audience :: {cfg["audience"]}',
        f'Natural Language :: {cfg["language"]}',
    ] + [f'Programming Language :: Python :: {v}' for v in py_versions[py_versions.index(min_python):]],
    # Namespace packages: the asset folders (photos/, sample/) are listed too, so setuptools ships them as data
    # without its 'Package would be ignored' warning for each.
    packages=setuptools.find_namespace_packages(include=['lesson_kit', 'lesson_kit.*']),
    include_package_data=True,
    package_data={'lesson_kit': ['assets/**/*']},
    install_requires=cfg['requirements'].split(),
    # `lesson`: what `make lesson` needs to execute the notebooks; `dev`: that plus the development tools.
    extras_require={'lesson': cfg['lesson_requirements'].split(),
                    'dev': cfg['lesson_requirements'].split() + cfg['dev_requirements'].split()},
    python_requires=f'>={min_python}',
    zip_safe=False,
    entry_points={'nbdev': [f'{cfg["lib_path"]}={cfg["lib_path"]}._modidx:d']},
)
