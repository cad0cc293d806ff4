"""The web desk (``make desk``): Decap CMS in the browser, on our files, through our checks.

Decap CMS (npm ``decap-cms``, pinned in package.json) draws the forms, the lists, the
Markdown editor and the media library; this package is its local backend and everything
the newspaper adds around it:

- :mod:`.protocol`: Decap's proxy-backend protocol (what ``decap-server`` speaks), over the
  content folder only: every save is written in the canonical form, checked and
  committed to git with the editor's name;
- :mod:`.files`: which paths and files the desk may read and write;
- :mod:`.history`: git commits, history, comparison and undo;
- :mod:`.presence`: who has which article open (two editors on one article are warned,
  and a save over another editor's newer save is refused);
- :mod:`.decap_config`: Decap's ``config.yml``, generated from the content model;
- :mod:`.publish`: the publish button (``make publish``) as a background job;
- :mod:`.server`: the routes under ``/desk/`` beside the live preview, on loopback only.
"""
